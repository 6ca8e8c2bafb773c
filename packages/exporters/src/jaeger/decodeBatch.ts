import {
  BatchFields,
  LogFields,
  ProcessFields,
  SpanFields,
  SpanRefFields,
  SpanRefType,
  TagFields,
  TagType,
} from './thrift/jaegerSchema';
import { ThriftType } from './thrift/ThriftWriter';
import type { JaegerBatch, JaegerLog, JaegerSpan, JaegerSpanRef, JaegerTag } from './types';

const MAX_DEPTH = 32;
const TAG_TYPE_NAMES: Record<number, JaegerTag['type']> = {
  [TagType.STRING]: 'STRING',
  [TagType.DOUBLE]: 'DOUBLE',
  [TagType.BOOL]: 'BOOL',
  [TagType.LONG]: 'LONG',
  [TagType.BINARY]: 'BINARY',
};

/** Bounds-checked reading of the Thrift binary protocol; every malformed input ends in a thrown Error. */
class BinaryReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(bytes: number): number {
    if (bytes < 0 || this.pos + bytes > this.buf.length) {
      throw new Error(`Jaeger batch truncated at byte ${this.pos} (needs ${bytes} more)`);
    }
    const at = this.pos;
    this.pos += bytes;
    return at;
  }

  byte(): number {
    return this.buf[this.need(1)];
  }

  i16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  i32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  i64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  /** An i64 as 16 hex characters of its unsigned value. */
  i64Hex(): string {
    const at = this.need(8);
    return this.buf.toString('hex', at, at + 8);
  }

  double(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  bytes(): Buffer {
    const length = this.i32();
    const at = this.need(length);
    return this.buf.subarray(at, at + length);
  }

  string(): string {
    const length = this.i32();
    const at = this.need(length);
    return this.buf.toString('utf8', at, at + length);
  }

  /** Reads a struct's fields, calling `field` for each; unknown fields are skipped. */
  struct(field: (type: number, id: number) => boolean): void {
    if (++this.depth > MAX_DEPTH) throw new Error('Jaeger batch nested too deeply');
    for (;;) {
      const type = this.byte();
      if (type === ThriftType.STOP) break;
      const id = this.i16();
      if (!field(type, id)) this.skip(type);
    }
    this.depth--;
  }

  list<T>(elementType: number, read: () => T): T[] {
    const type = this.byte();
    const size = this.i32();
    if (type !== elementType) throw new Error(`Jaeger batch: list of type ${type}, expected ${elementType}`);
    // Each element takes at least one byte: a hostile size cannot make us allocate beyond the input.
    if (size < 0 || size > this.remaining) throw new Error(`Jaeger batch: bad list size ${size}`);
    const out: T[] = [];
    for (let i = 0; i < size; i++) out.push(read());
    return out;
  }

  skip(type: number): void {
    switch (type) {
      case ThriftType.BOOL:
      case ThriftType.BYTE:
        this.need(1);
        return;
      case ThriftType.I16:
        this.need(2);
        return;
      case ThriftType.I32:
        this.need(4);
        return;
      case ThriftType.I64:
      case ThriftType.DOUBLE:
        this.need(8);
        return;
      case ThriftType.STRING:
        this.need(this.i32());
        return;
      case ThriftType.STRUCT:
        this.struct(() => false);
        return;
      case ThriftType.LIST:
      case ThriftType.SET: {
        const elementType = this.byte();
        const size = this.i32();
        if (size < 0 || size > this.remaining) throw new Error(`Jaeger batch: bad list size ${size}`);
        if (++this.depth > MAX_DEPTH) throw new Error('Jaeger batch nested too deeply');
        for (let i = 0; i < size; i++) this.skip(elementType);
        this.depth--;
        return;
      }
      case ThriftType.MAP: {
        const keyType = this.byte();
        const valueType = this.byte();
        const size = this.i32();
        if (size < 0 || size > this.remaining) throw new Error(`Jaeger batch: bad map size ${size}`);
        if (++this.depth > MAX_DEPTH) throw new Error('Jaeger batch nested too deeply');
        for (let i = 0; i < size; i++) {
          this.skip(keyType);
          this.skip(valueType);
        }
        this.depth--;
        return;
      }
      default:
        throw new Error(`Jaeger batch: unknown Thrift type ${type}`);
    }
  }
}

function is(type: number, id: number, field: { type: number; id: number }): boolean {
  return type === field.type && id === field.id;
}

function safeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

function readTag(r: BinaryReader): JaegerTag {
  let key = '';
  let vType = -1;
  const values: Partial<Record<number, JaegerTag['value']>> = {};
  r.struct((type, id) => {
    if (is(type, id, TagFields.key)) key = r.string();
    else if (is(type, id, TagFields.vType)) vType = r.i32();
    else if (is(type, id, TagFields.vStr)) values[TagType.STRING] = r.string();
    else if (is(type, id, TagFields.vDouble)) values[TagType.DOUBLE] = r.double();
    else if (is(type, id, TagFields.vBool)) values[TagType.BOOL] = r.byte() !== 0;
    else if (is(type, id, TagFields.vLong)) values[TagType.LONG] = safeNumber(r.i64());
    else if (is(type, id, TagFields.vBinary)) values[TagType.BINARY] = new Uint8Array(r.bytes());
    else return false;
    return true;
  });
  const typeName = TAG_TYPE_NAMES[vType];
  const value = values[vType];
  if (!typeName || value === undefined)
    throw new Error(`Jaeger batch: tag "${key}" has no value of type ${vType}`);
  return { key, type: typeName, value };
}

function readLog(r: BinaryReader): JaegerLog {
  const log: JaegerLog = { timestamp: 0, fields: [] };
  r.struct((type, id) => {
    if (is(type, id, LogFields.timestamp)) log.timestamp = Number(r.i64());
    else if (is(type, id, LogFields.fields)) log.fields = r.list(ThriftType.STRUCT, () => readTag(r));
    else return false;
    return true;
  });
  return log;
}

function readSpanRef(r: BinaryReader): JaegerSpanRef {
  let refType = -1;
  let low = '0000000000000000';
  let high = '0000000000000000';
  let spanId = '0000000000000000';
  r.struct((type, id) => {
    if (is(type, id, SpanRefFields.refType)) refType = r.i32();
    else if (is(type, id, SpanRefFields.traceIdLow)) low = r.i64Hex();
    else if (is(type, id, SpanRefFields.traceIdHigh)) high = r.i64Hex();
    else if (is(type, id, SpanRefFields.spanId)) spanId = r.i64Hex();
    else return false;
    return true;
  });
  return {
    refType: refType === SpanRefType.FOLLOWS_FROM ? 'FOLLOWS_FROM' : 'CHILD_OF',
    traceId: high + low,
    spanId,
  };
}

function readSpan(r: BinaryReader): JaegerSpan {
  let low = '0000000000000000';
  let high = '0000000000000000';
  const span: JaegerSpan = {
    traceId: '',
    spanId: '0000000000000000',
    parentSpanId: '0000000000000000',
    operationName: '',
    references: [],
    flags: 0,
    startTime: 0,
    duration: 0,
    tags: [],
    logs: [],
  };
  r.struct((type, id) => {
    if (is(type, id, SpanFields.traceIdLow)) low = r.i64Hex();
    else if (is(type, id, SpanFields.traceIdHigh)) high = r.i64Hex();
    else if (is(type, id, SpanFields.spanId)) span.spanId = r.i64Hex();
    else if (is(type, id, SpanFields.parentSpanId)) span.parentSpanId = r.i64Hex();
    else if (is(type, id, SpanFields.operationName)) span.operationName = r.string();
    else if (is(type, id, SpanFields.references))
      span.references = r.list(ThriftType.STRUCT, () => readSpanRef(r));
    else if (is(type, id, SpanFields.flags)) span.flags = r.i32();
    else if (is(type, id, SpanFields.startTime)) span.startTime = Number(r.i64());
    else if (is(type, id, SpanFields.duration)) span.duration = Number(r.i64());
    else if (is(type, id, SpanFields.tags)) span.tags = r.list(ThriftType.STRUCT, () => readTag(r));
    else if (is(type, id, SpanFields.logs)) span.logs = r.list(ThriftType.STRUCT, () => readLog(r));
    else return false;
    return true;
  });
  span.traceId = high + low;
  return span;
}

/**
 * Reads a Jaeger `Batch` in the Thrift binary protocol (the body of `POST /api/traces`) into plain objects.
 * Throws an Error on malformed input (truncated, wrong types, absurd sizes, missing required parts).
 *
 * @example
 * const batch = decodeJaegerBatch(requestBody);
 * console.log(batch.process.serviceName, batch.spans.map((s) => s.operationName));
 */
export function decodeJaegerBatch(body: Buffer): JaegerBatch {
  const r = new BinaryReader(body);
  let process: JaegerBatch['process'] | undefined;
  let spans: JaegerSpan[] | undefined;
  let seqNo: number | bigint | undefined;
  r.struct((type, id) => {
    if (is(type, id, BatchFields.process)) {
      const p: JaegerBatch['process'] = { serviceName: '', tags: [] };
      let hasName = false;
      r.struct((t, i) => {
        if (is(t, i, ProcessFields.serviceName)) {
          p.serviceName = r.string();
          hasName = true;
        } else if (is(t, i, ProcessFields.tags)) p.tags = r.list(ThriftType.STRUCT, () => readTag(r));
        else return false;
        return true;
      });
      if (!hasName) throw new Error('Jaeger batch: process without serviceName');
      process = p;
    } else if (is(type, id, BatchFields.spans)) spans = r.list(ThriftType.STRUCT, () => readSpan(r));
    else if (is(type, id, BatchFields.seqNo)) seqNo = safeNumber(r.i64());
    else return false;
    return true;
  });
  if (r.remaining !== 0) throw new Error(`Jaeger batch: ${r.remaining} bytes after the batch`);
  if (!process) throw new Error('Jaeger batch: no process');
  if (!spans) throw new Error('Jaeger batch: no spans');
  return seqNo === undefined ? { process, spans } : { process, spans, seqNo };
}
