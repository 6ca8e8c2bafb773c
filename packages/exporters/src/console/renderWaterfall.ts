/** A span as the waterfall needs it: independent of the SDK, so spans decoded by a collector render too. */
export interface WaterfallSpan {
  /** Trace id (hex); spans of several traces render as several waterfalls. */
  traceId: string;
  /** Span id (hex). */
  spanId: string;
  /** Parent span id (hex); absent, or not among the spans given, makes the span a root of the tree. */
  parentSpanId?: string;
  /** Span name. */
  name: string;
  /** Start time, milliseconds since the epoch (fractions allowed). */
  startTimeMs: number;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Whether the span ended in error (status ERROR). */
  error?: boolean;
  /** The status message of an error span, shown after its bar. */
  errorMessage?: string;
  /** The service that recorded the span (`service.name`), shown in the trace heading. */
  serviceName?: string;
  /** Span attributes, shown only with `attributes: true`. */
  attributes?: Record<string, unknown>;
  /** Span events, shown only with `attributes: true`. */
  events?: { name: string; timeMs: number; attributes?: Record<string, unknown> }[];
}

/** Options of `renderWaterfall`. */
export interface WaterfallOptions {
  /** Width of the duration bars, in characters. Default 40. */
  barWidth?: number;
  /** Print attributes and events under each span. Default false. */
  attributes?: boolean;
  /** Widest the name column gets, in characters (longer names are cut with `…`). Default 48. */
  maxNameWidth?: number;
  /** Added to each trace heading, e.g. `root span not ended yet`. Default none. */
  note?: string;
}

interface Node {
  span: WaterfallSpan;
  children: Node[];
}

const MAX_VALUE_CHARS = 120;

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  return `${ms.toFixed(2)} ms`;
}

function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (Array.isArray(value)) text = `[${value.map(formatValue).join(', ')}]`;
  else text = String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function fit(text: string, width: number): string {
  if (text.length > width) return `${text.slice(0, Math.max(0, width - 1))}…`;
  return text + ' '.repeat(width - text.length);
}

function bar(span: WaterfallSpan, traceStart: number, traceDuration: number, width: number): string {
  let from = 0;
  let to = width;
  if (traceDuration > 0) {
    from = Math.floor(((span.startTimeMs - traceStart) / traceDuration) * width);
    to = Math.ceil(((span.startTimeMs + Math.max(0, span.durationMs) - traceStart) / traceDuration) * width);
  }
  from = Math.min(Math.max(0, from), width - 1);
  to = Math.min(Math.max(from + 1, to), width);
  return `${' '.repeat(from)}${'█'.repeat(to - from)}${' '.repeat(width - to)}`;
}

function buildForest(spans: WaterfallSpan[]): Node[] {
  const nodes = new Map<string, Node>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId !== undefined && parentId !== node.span.spanId ? nodes.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: Node, b: Node): number => a.span.startTimeMs - b.span.startTimeMs;
  for (const node of nodes.values()) node.children.sort(byStart);
  roots.sort(byStart);
  // Spans whose parents form a cycle (malformed input) are reachable from no root: show them as roots.
  const reachable = new Set<Node>();
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    reachable.add(node);
    stack.push(...node.children);
  }
  for (const node of nodes.values()) if (!reachable.has(node)) roots.push(node);
  return roots;
}

function renderTrace(traceId: string, spans: WaterfallSpan[], options: WaterfallOptions): string[] {
  const barWidth = options.barWidth ?? 40;
  const maxNameWidth = options.maxNameWidth ?? 48;
  const traceStart = Math.min(...spans.map((s) => s.startTimeMs));
  const traceEnd = Math.max(...spans.map((s) => s.startTimeMs + Math.max(0, s.durationMs)));
  const traceDuration = traceEnd - traceStart;
  const services = [...new Set(spans.map((s) => s.serviceName).filter((s): s is string => !!s))];
  const errors = spans.filter((s) => s.error).length;

  const rows: { label: string; span: WaterfallSpan; detailPrefix: string }[] = [];
  const visited = new Set<Node>();
  const walk = (node: Node, prefix: string, isLast: boolean, isRoot: boolean): void => {
    if (visited.has(node)) return;
    visited.add(node);
    const branch = isRoot ? '' : isLast ? '└─ ' : '├─ ';
    const marker = node.span.error ? ' ✗' : '';
    const childPrefix = isRoot ? '' : prefix + (isLast ? '   ' : '│  ');
    rows.push({
      label: `${prefix}${branch}${node.span.name}${marker}`,
      span: node.span,
      detailPrefix: childPrefix,
    });
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1, false));
  };
  for (const root of buildForest(spans)) walk(root, '', true, true);

  const nameWidth = Math.min(maxNameWidth, Math.max(...rows.map((r) => r.label.length)));
  const durations = rows.map((r) => formatDuration(r.span.durationMs));
  const durationWidth = Math.max(...durations.map((d) => d.length));
  const heading = [
    `trace ${traceId}`,
    `${spans.length} span${spans.length === 1 ? '' : 's'}`,
    formatDuration(traceDuration),
    ...(services.length ? [`service ${services.join(', ')}`] : []),
    ...(errors ? [`${errors} error${errors === 1 ? '' : 's'}`] : []),
    ...(options.note ? [options.note] : []),
  ].join(' · ');
  const lines = [heading];
  rows.forEach((row, i) => {
    const error = row.span.error
      ? `  ERROR${row.span.errorMessage ? `: ${formatValue(row.span.errorMessage).slice(1, -1)}` : ''}`
      : '';
    lines.push(
      `${fit(row.label, nameWidth)}  ${durations[i].padStart(durationWidth)}  |${bar(row.span, traceStart, traceDuration, barWidth)}|${error}`,
    );
    if (options.attributes) {
      const detail = `${row.detailPrefix}    `;
      for (const [key, value] of Object.entries(row.span.attributes ?? {})) {
        lines.push(`${detail}· ${key}=${formatValue(value)}`);
      }
      for (const event of row.span.events ?? []) {
        const at = formatDuration(event.timeMs - row.span.startTimeMs);
        const attrs = Object.entries(event.attributes ?? {})
          .map(([k, v]) => `${k}=${formatValue(v)}`)
          .join(' ');
        lines.push(`${detail}◆ ${event.name} @ +${at}${attrs ? ` ${attrs}` : ''}`);
      }
    }
  });
  return lines;
}

/**
 * Renders spans as one text waterfall per trace: a tree by parent (children under their parent, by start
 * time), each span's name, duration and a bar placed and scaled on the trace's timeline, errors marked `✗`
 * with their message, and attributes/events on request. Returns the text, ending with a newline.
 *
 * @example
 * process.stdout.write(renderWaterfall(spans.map(toWaterfallSpan), { attributes: true }));
 */
export function renderWaterfall(spans: readonly WaterfallSpan[], options: WaterfallOptions = {}): string {
  const byTrace = new Map<string, WaterfallSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  const blocks: string[] = [];
  for (const [traceId, traceSpans] of byTrace)
    blocks.push(renderTrace(traceId, traceSpans, options).join('\n'));
  return blocks.length ? `${blocks.join('\n\n')}\n` : '';
}
