import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeBatches, type BatchFraming, type EncodedBatches } from './encodeBatches';
import { BatchFields } from './thrift/jaegerSchema';
import { BinaryProtocolWriter } from './thrift/BinaryProtocolWriter';
import { ThriftType } from './thrift/ThriftWriter';
import type { EncodeJaegerBatchOptions } from './types';
import { writeJaegerProcess } from './writeJaegerModel';

/** binary: field header (3) + process + field header (3) + list header (5) ... spans ... STOP (1). */
const BINARY_OVERHEAD = 12;

/** An HTTP collector body: one `Batch` struct in the binary protocol, no message envelope. */
export const binaryBatchFraming: BatchFraming<BinaryProtocolWriter> = {
  scratch: new BinaryProtocolWriter(64 * 1024),
  prefix(process, spanCount) {
    const w = new BinaryProtocolWriter(process.length + BINARY_OVERHEAD);
    w.fieldBegin(BatchFields.process.type, BatchFields.process.id);
    w.raw(process);
    w.fieldBegin(BatchFields.spans.type, BatchFields.spans.id);
    w.listBegin(ThriftType.STRUCT, spanCount);
    return w.view(0, w.length);
  },
  suffix: Buffer.from([ThriftType.STOP]),
  overhead: (process) => process.length + BINARY_OVERHEAD,
};

/**
 * Encodes `spans` as one Jaeger `Batch` in the Thrift binary protocol: the body of a `POST /api/traces`.
 * All spans go into the one batch under one Process (`options.resource`, or the first span's resource);
 * exporters use `encodeJaegerBatches`, which makes one batch per resource and splits by size.
 *
 * @example
 * const body = encodeJaegerBatch(memoryExporter.getFinishedSpans());
 */
export function encodeJaegerBatch(spans: ReadableSpan[], options: EncodeJaegerBatchOptions = {}): Buffer {
  const resource = options.resource ?? spans[0]?.resource;
  const { payloads } = encodeBatches(spans, binaryBatchFraming, Number.MAX_SAFE_INTEGER, resource);
  if (payloads.length === 1) return payloads[0].bytes;
  // No spans (or none encodable): still a valid batch, with an empty span list.
  const w = new BinaryProtocolWriter(256);
  writeJaegerProcess(w, resource);
  return Buffer.concat([binaryBatchFraming.prefix(w.toBuffer(), 0), binaryBatchFraming.suffix]);
}

/**
 * Encodes `spans` as HTTP collector bodies: one Batch per distinct resource, split so no body exceeds
 * `maxPayloadBytes`. A span that alone exceeds it is left out and counted in `droppedSpans`.
 */
export function encodeJaegerBatches(spans: readonly ReadableSpan[], maxPayloadBytes: number): EncodedBatches {
  return encodeBatches(spans, binaryBatchFraming, maxPayloadBytes);
}
