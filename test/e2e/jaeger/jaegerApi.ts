// The JSON of Jaeger's query API (`GET /api/traces/{traceId}`, the model its UI draws), and a reading of it
// shaped for assertions: each span with its parent, service, process tags, kind, typed tags and logs, and the
// trace as a tree built from the parent references alone.

/** A tag or log field as the query API writes it. */
export interface JaegerApiKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
}

export interface JaegerApiSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  flags?: number;
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerApiKeyValue[];
  logs: { timestamp: number; fields: JaegerApiKeyValue[] }[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerApiTrace {
  traceID: string;
  spans: JaegerApiSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerApiKeyValue[] | null }>;
  warnings: string[] | null;
}

/** A typed value: the query API's type name and the value. */
export interface Typed {
  type: JaegerApiKeyValue['type'];
  value: JaegerApiKeyValue['value'];
}

export interface ReadSpan {
  name: string;
  spanId: string;
  /** The span id of its CHILD_OF reference; undefined for a span without one. */
  parentId: string | undefined;
  /** FOLLOWS_FROM references (OpenTelemetry links), as span ids. */
  followsFrom: string[];
  service: string;
  processTags: Record<string, Typed>;
  /** The `span.kind` tag; `internal` when there is none (an INTERNAL span may be sent without it). */
  kind: string;
  tags: Record<string, Typed>;
  logs: Record<string, Typed>[];
  /** The `error` tag is `true`. */
  error: boolean;
  startTime: number;
  duration: number;
  warnings: string[];
}

/** A node of the trace's tree: its span, then its children by name. */
export interface TreeNode {
  name: string;
  service: string;
  kind: string;
  children: TreeNode[];
}

function record(values: JaegerApiKeyValue[] | null | undefined): Record<string, Typed> {
  const out: Record<string, Typed> = {};
  for (const { key, type, value } of values ?? []) out[key] = { type, value };
  return out;
}

/** Lower-case hex, left-padded to 16 or 32 digits (the query API drops leading zeros of 64-bit ids). */
export function normaliseId(id: string, digits: 16 | 32): string {
  return id.toLowerCase().padStart(digits, '0');
}

export function readSpans(trace: JaegerApiTrace): ReadSpan[] {
  return trace.spans.map((span) => {
    const process = trace.processes[span.processID];
    const tags = record(span.tags);
    const parent = span.references.find((ref) => ref.refType === 'CHILD_OF');
    return {
      name: span.operationName,
      spanId: normaliseId(span.spanID, 16),
      parentId: parent ? normaliseId(parent.spanID, 16) : undefined,
      followsFrom: span.references
        .filter((ref) => ref.refType === 'FOLLOWS_FROM')
        .map((ref) => normaliseId(ref.spanID, 16)),
      service: process?.serviceName ?? '',
      processTags: record(process?.tags),
      kind: typeof tags['span.kind']?.value === 'string' ? tags['span.kind'].value : 'internal',
      tags,
      logs: span.logs.map((log) => record(log.fields)),
      error: tags.error?.value === true,
      startTime: span.startTime,
      duration: span.duration,
      warnings: span.warnings ?? [],
    };
  });
}

/**
 * The trace as trees: one per span whose parent is not in the trace (a complete trace has one). Children are
 * ordered by name, then service (not by start time: OpenTelemetry JS starts spans on whole milliseconds, so
 * siblings started within one are in no telling order).
 */
export function treesOf(spans: ReadSpan[]): TreeNode[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const ordered = [...spans].sort(
    (a, b) => a.name.localeCompare(b.name) || a.service.localeCompare(b.service),
  );
  const node = (span: ReadSpan): TreeNode => ({
    name: span.name,
    service: span.service,
    kind: span.kind,
    children: ordered.filter((child) => child.parentId === span.spanId).map(node),
  });
  return ordered.filter((span) => span.parentId === undefined || !ids.has(span.parentId)).map(node);
}

/** The one span named `name`; throws when there is none or more than one. */
export function spanNamed(spans: ReadSpan[], name: string): ReadSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span '${name}', found ${found.length}`);
  return found[0];
}
