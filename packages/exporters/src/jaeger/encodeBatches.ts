import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ThriftWriter } from './thrift/ThriftWriter';
import { writeJaegerProcess, writeJaegerSpan } from './writeJaegerModel';

/** How a protocol wraps a Process and a run of encoded Spans into one payload (HTTP body or UDP datagram). */
export interface BatchFraming<W extends ThriftWriter = ThriftWriter> {
  /** A scratch writer of this framing's protocol; reused across calls. */
  readonly scratch: W;
  /** The bytes before the spans: everything up to and including the spans' list header. */
  prefix(process: Buffer, spanCount: number): Buffer;
  /** The bytes after the spans (STOP bytes). */
  readonly suffix: Buffer;
  /** Upper bound of prefix + suffix for this process, whatever the span count. */
  overhead(process: Buffer): number;
}

export interface EncodedPayload {
  bytes: Buffer;
  spanCount: number;
}

export interface EncodedBatches {
  payloads: EncodedPayload[];
  /** Spans that alone do not fit in `maxBytes`, left out. */
  droppedSpans: number;
  /** Spans whose encoding threw (a hostile getter, say), left out. */
  failedSpans: number;
}

/** Scratch buffers grown past this are replaced after use, so a single huge export does not pin memory. */
const MAX_RETAINED_SCRATCH = 4 * 1024 * 1024;

/** Each framing's encoded Process per resource: a provider's resource is one object, exported batch after batch. */
const processesByFraming = new WeakMap<BatchFraming, WeakMap<Resource, Buffer>>();

/**
 * The resource as an encoded Process, encoded once per resource object and framing. A resource still detecting
 * attributes asynchronously is encoded afresh each time (its attributes may still change).
 */
function encodedProcess(framing: BatchFraming, resource: Resource | undefined): Buffer {
  const cacheable =
    resource !== undefined &&
    (resource as { asyncAttributesPending?: boolean }).asyncAttributesPending !== true;
  let cache = cacheable ? processesByFraming.get(framing) : undefined;
  const cached = cacheable ? cache?.get(resource) : undefined;
  if (cached !== undefined) return cached;
  const w = framing.scratch;
  w.reset();
  writeJaegerProcess(w, resource);
  const process = w.toBuffer();
  if (cacheable) {
    if (cache === undefined) processesByFraming.set(framing, (cache = new WeakMap()));
    cache.set(resource, process);
  }
  return process;
}

/** Groups spans by their resource object, keeping first-seen order. */
export function groupByResource(spans: readonly ReadableSpan[]): Map<Resource | undefined, ReadableSpan[]> {
  const groups = new Map<Resource | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const group = groups.get(span.resource);
    if (group) group.push(span);
    else groups.set(span.resource, [span]);
  }
  return groups;
}

/**
 * Encodes spans into as few payloads as fit in `maxBytes` each: one Batch (its Process from the resource) per
 * distinct resource, split further when the spans do not fit. Never throws for a bad span: it is counted.
 */
export function encodeBatches(
  spans: readonly ReadableSpan[],
  framing: BatchFraming<ThriftWriter & { shrink(max: number): void }>,
  maxBytes: number,
  resourceOverride?: Resource,
): EncodedBatches {
  const result: EncodedBatches = { payloads: [], droppedSpans: 0, failedSpans: 0 };
  const groups = resourceOverride
    ? new Map([[resourceOverride, spans as ReadableSpan[]]])
    : groupByResource(spans);
  const w = framing.scratch;
  try {
    for (const [resource, group] of groups) {
      const process = encodedProcess(framing, resource);
      const limit = maxBytes - framing.overhead(process);

      w.reset();
      const ends: number[] = new Array(group.length);
      for (let i = 0; i < group.length; i++) {
        const start = w.length;
        try {
          writeJaegerSpan(w, group[i]);
          ends[i] = w.length;
        } catch {
          w.rewind(start);
          ends[i] = -1;
          result.failedSpans++;
        }
      }

      let chunkStart = -1; // first span index of the chunk being gathered
      let chunkBytes = 0;
      let chunkCount = 0;
      let previousEnd = 0;
      const starts: number[] = new Array(group.length);
      for (let i = 0; i < group.length; i++) {
        starts[i] = previousEnd;
        if (ends[i] >= 0) previousEnd = ends[i];
      }
      const flush = (endIndex: number): void => {
        if (chunkCount === 0) return;
        const prefix = framing.prefix(process, chunkCount);
        const bytes = Buffer.allocUnsafe(prefix.length + chunkBytes + framing.suffix.length);
        prefix.copy(bytes, 0);
        let at = prefix.length;
        for (let j = chunkStart; j < endIndex; j++) {
          if (ends[j] < 0 || ends[j] - starts[j] > limit) continue;
          bytes.set(w.view(starts[j], ends[j]), at);
          at += ends[j] - starts[j];
        }
        framing.suffix.copy(bytes, at);
        result.payloads.push({ bytes, spanCount: chunkCount });
        chunkBytes = 0;
        chunkCount = 0;
        chunkStart = -1;
      };
      for (let i = 0; i < group.length; i++) {
        if (ends[i] < 0) continue;
        const size = ends[i] - starts[i];
        if (size > limit) {
          result.droppedSpans++;
          continue;
        }
        if (chunkBytes + size > limit) flush(i);
        if (chunkStart < 0) chunkStart = i;
        chunkBytes += size;
        chunkCount++;
      }
      flush(group.length);
    }
  } finally {
    w.shrink(MAX_RETAINED_SCRATCH);
  }
  return result;
}
