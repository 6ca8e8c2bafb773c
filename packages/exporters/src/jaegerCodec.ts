import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { EncodeJaegerBatchOptions, JaegerBatch } from './jaeger/types';

// The codec modules load on first use, not when the package is imported: a program that exports over OTLP
// never pays for the Thrift code. Their public types name `Uint8Array`, not Node's `Buffer`, so that the
// package's declarations compile without `@types/node`; the bytes are a `Buffer` at run time.

/**
 * Encodes finished spans as one Jaeger `Batch` in the Thrift binary protocol: the body of a
 * `POST /api/traces` to a Jaeger collector. The Process comes from `options.resource`, else from the first
 * span's resource. Returns a Node `Buffer` (typed as the `Uint8Array` it is).
 */
export function encodeJaegerBatch(spans: ReadableSpan[], options?: EncodeJaegerBatchOptions): Uint8Array {
  const codec: typeof import('./jaeger/encodeBatch') = require('./jaeger/encodeBatch');
  return codec.encodeJaegerBatch(spans, options);
}

/**
 * Decodes a Jaeger `Batch` in the Thrift binary protocol (a collector's request body) into plain objects.
 * Bounds-checked: a truncated or malformed body throws an `Error`, never reads past the buffer. Any
 * `Uint8Array` is read (a `Buffer` among them), without copying.
 */
export function decodeJaegerBatch(body: Uint8Array): JaegerBatch {
  const codec: typeof import('./jaeger/decodeBatch') = require('./jaeger/decodeBatch');
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return codec.decodeJaegerBatch(bytes);
}
