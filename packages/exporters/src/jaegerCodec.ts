import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { EncodeJaegerBatchOptions } from './jaeger/encodeBatch';
import type { JaegerBatch } from './jaeger/types';

// The codec modules load on first use, not when the package is imported: a program that exports over OTLP
// never pays for the Thrift code.

/**
 * Encodes finished spans as one Jaeger `Batch` in the Thrift binary protocol: the body of a
 * `POST /api/traces` to a Jaeger collector. The Process comes from `options.resource`, else from the first
 * span's resource.
 */
export function encodeJaegerBatch(spans: ReadableSpan[], options?: EncodeJaegerBatchOptions): Buffer {
  const codec: typeof import('./jaeger/encodeBatch') = require('./jaeger/encodeBatch');
  return codec.encodeJaegerBatch(spans, options);
}

/**
 * Decodes a Jaeger `Batch` in the Thrift binary protocol (a collector's request body) into plain objects.
 * Bounds-checked: a truncated or malformed body throws an `Error`, never reads past the buffer.
 */
export function decodeJaegerBatch(body: Buffer): JaegerBatch {
  const codec: typeof import('./jaeger/decodeBatch') = require('./jaeger/decodeBatch');
  return codec.decodeJaegerBatch(body);
}
