// The second independent decoder of Jaeger bytes: `thriftrw` reading the Jaeger IDL shipped inside the
// `jaeger-client` package (binary protocol only; thriftrw has no compact protocol).
import * as path from 'node:path';
import type { DecodedBatch, DecodedSpan, DecodedTagValue } from './jaegerThriftReader';

export const JAEGER_IDL_PATH = path.join(
  path.dirname(require.resolve('jaeger-client/package.json')),
  'dist/src/jaeger-idl/thrift/jaeger.thrift',
);

// thriftrw ships no type declarations.
const { Thrift } = require('thriftrw') as { Thrift: new (options: object) => unknown };

let idl: { Batch: { fromBufferResult(buffer: Buffer): { err: Error | null; value: unknown } } } | undefined;

/** The plain object thriftrw makes of a binary `Batch` (i64 values are 8-byte Buffers); throws if invalid. */
export function thriftrwDecodeBatch(body: Buffer): ThriftrwBatch {
  idl ??= new Thrift({ entryPoint: JAEGER_IDL_PATH, allowFilesystemAccess: true }) as unknown as NonNullable<
    typeof idl
  >;
  const result = idl.Batch.fromBufferResult(body);
  if (result.err) throw result.err;
  return result.value as ThriftrwBatch;
}

export interface ThriftrwTag {
  key: string;
  vType: string;
  vStr?: string | null;
  vDouble?: number | null;
  vBool?: boolean | null;
  vLong?: Buffer | null;
  vBinary?: Buffer | null;
}

export interface ThriftrwSpan {
  traceIdLow: Buffer;
  traceIdHigh: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  operationName: string;
  references?: { refType: string; traceIdLow: Buffer; traceIdHigh: Buffer; spanId: Buffer }[] | null;
  flags: number;
  startTime: Buffer;
  duration: Buffer;
  tags?: ThriftrwTag[] | null;
  logs?: { timestamp: Buffer; fields: ThriftrwTag[] }[] | null;
}

export interface ThriftrwBatch {
  process: { serviceName: string; tags?: ThriftrwTag[] | null };
  spans: ThriftrwSpan[];
}

/** An 8-byte big-endian i64 as unsigned hex. */
export function hexOf(i64: Buffer): string {
  return i64.toString('hex');
}

/** An 8-byte big-endian i64 as a signed bigint. */
export function bigintOf(i64: Buffer): bigint {
  return i64.readBigInt64BE(0);
}

function tagValue(tag: ThriftrwTag): DecodedTagValue | undefined {
  switch (tag.vType) {
    case 'STRING':
      return tag.vStr ?? undefined;
    case 'DOUBLE':
      return tag.vDouble ?? undefined;
    case 'BOOL':
      return tag.vBool ?? undefined;
    case 'LONG':
      return tag.vLong ? bigintOf(tag.vLong) : undefined;
    case 'BINARY':
      return tag.vBinary ?? undefined;
    default:
      return undefined;
  }
}

function tagRecord(tags: ThriftrwTag[] | null | undefined): Record<string, DecodedTagValue> {
  const out: Record<string, DecodedTagValue> = {};
  for (const tag of tags ?? []) {
    const value = tagValue(tag);
    if (value !== undefined) out[tag.key] = value;
  }
  return out;
}

/** thriftrw's reading in the shape of the fake collector's, so the two decoders can be compared whole. */
export function thriftrwToDecoded(batch: ThriftrwBatch): DecodedBatch {
  return {
    serviceName: batch.process.serviceName,
    processTags: tagRecord(batch.process.tags),
    spans: batch.spans.map((span): DecodedSpan => ({
      traceIdHigh: bigintOf(span.traceIdHigh),
      traceIdLow: bigintOf(span.traceIdLow),
      traceId: hexOf(span.traceIdHigh) + hexOf(span.traceIdLow),
      spanId: hexOf(span.spanId),
      parentSpanId: hexOf(span.parentSpanId),
      operationName: span.operationName,
      flags: span.flags,
      startTime: bigintOf(span.startTime),
      duration: bigintOf(span.duration),
      tags: tagRecord(span.tags),
      logs: (span.logs ?? []).map((log) => ({
        timestamp: bigintOf(log.timestamp),
        fields: tagRecord(log.fields),
      })),
      references: (span.references ?? []).map((ref) => ({
        refType: ref.refType === 'FOLLOWS_FROM' ? 1 : ref.refType === 'CHILD_OF' ? 0 : -1,
        traceId: hexOf(ref.traceIdHigh) + hexOf(ref.traceIdLow),
        spanId: hexOf(ref.spanId),
      })),
    })),
  };
}
