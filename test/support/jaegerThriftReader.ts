// Reads Jaeger's Thrift model (Batch, Process, Span, Tag, Log, SpanRef) with the `thrift` package's own protocol
// readers, field by field. It shares no code with @tracery/exporters' encoder or decoder: it is the independent
// check of the bytes that reach a collector (binary protocol over HTTP, compact protocol over UDP).
import { Int64, TBinaryProtocol, TBufferedTransport, TCompactProtocol, Thrift, type TProtocol } from 'thrift';

export type DecodedTagValue = string | number | boolean | bigint | Buffer;

export interface DecodedSpan {
  traceIdHigh: bigint;
  traceIdLow: bigint;
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters, '0000000000000000' for none. */
  parentSpanId: string;
  operationName: string;
  flags: number;
  /** Microseconds since the epoch. */
  startTime: bigint;
  /** Microseconds. */
  duration: bigint;
  tags: Record<string, DecodedTagValue>;
  logs: { timestamp: bigint; fields: Record<string, unknown> }[];
  references: { refType: number; traceId: string; spanId: string }[];
}

export interface DecodedBatch {
  serviceName: string;
  processTags: Record<string, unknown>;
  spans: DecodedSpan[];
}

/** The agent's UDP message: `Agent.emitBatch(1: Batch batch)`, oneway. */
export interface DecodedAgentMessage {
  name: string;
  type: number;
  seqId: number;
  batch: DecodedBatch;
}

const { Type } = Thrift;

function toBigInt(value: Int64 | number): bigint {
  if (typeof value === 'number') return BigInt(value);
  return value.buffer.readBigInt64BE(value.offset ?? 0);
}

/** Unsigned 64-bit hex of a signed i64. */
export function i64ToHex(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}

function readI64(input: TProtocol): bigint {
  return toBigInt(input.readI64());
}

interface Tag {
  key: string;
  value: DecodedTagValue | undefined;
}

function readTag(input: TProtocol): Tag {
  let key = '';
  let vType = -1;
  const values: Partial<Record<number, DecodedTagValue>> = {};
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    if (field.fid === 1 && field.ftype === Type.STRING) key = input.readString();
    else if (field.fid === 2 && field.ftype === Type.I32) vType = input.readI32();
    else if (field.fid === 3 && field.ftype === Type.STRING) values[0] = input.readString();
    else if (field.fid === 4 && field.ftype === Type.DOUBLE) values[1] = input.readDouble();
    else if (field.fid === 5 && field.ftype === Type.BOOL) values[2] = input.readBool();
    else if (field.fid === 6 && field.ftype === Type.I64) values[3] = readI64(input);
    else if (field.fid === 7 && field.ftype === Type.STRING) values[4] = input.readBinary();
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  return { key, value: values[vType] };
}

function readList<T>(input: TProtocol, expected: Thrift.Type, readElement: (input: TProtocol) => T): T[] {
  const list = input.readListBegin();
  if (list.etype !== expected) throw new Error(`list of type ${list.etype}, expected ${expected}`);
  const out: T[] = [];
  for (let i = 0; i < list.size; i++) out.push(readElement(input));
  input.readListEnd();
  return out;
}

function tagsToRecord(tags: Tag[]): Record<string, DecodedTagValue> {
  const out: Record<string, DecodedTagValue> = {};
  for (const tag of tags) if (tag.value !== undefined) out[tag.key] = tag.value;
  return out;
}

function readTags(input: TProtocol): Record<string, DecodedTagValue> {
  return tagsToRecord(readList(input, Type.STRUCT, readTag));
}

function readLog(input: TProtocol): DecodedSpan['logs'][number] {
  let timestamp = 0n;
  let fields: Record<string, unknown> = {};
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    if (field.fid === 1 && field.ftype === Type.I64) timestamp = readI64(input);
    else if (field.fid === 2 && field.ftype === Type.LIST) fields = readTags(input);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  return { timestamp, fields };
}

function readSpanRef(input: TProtocol): DecodedSpan['references'][number] {
  let refType = -1;
  let low = 0n;
  let high = 0n;
  let spanId = 0n;
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    if (field.fid === 1 && field.ftype === Type.I32) refType = input.readI32();
    else if (field.fid === 2 && field.ftype === Type.I64) low = readI64(input);
    else if (field.fid === 3 && field.ftype === Type.I64) high = readI64(input);
    else if (field.fid === 4 && field.ftype === Type.I64) spanId = readI64(input);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  return { refType, traceId: i64ToHex(high) + i64ToHex(low), spanId: i64ToHex(spanId) };
}

function readSpan(input: TProtocol): DecodedSpan {
  const span: DecodedSpan = {
    traceIdHigh: 0n,
    traceIdLow: 0n,
    traceId: '',
    spanId: '',
    parentSpanId: '0000000000000000',
    operationName: '',
    flags: 0,
    startTime: 0n,
    duration: 0n,
    tags: {},
    logs: [],
    references: [],
  };
  const seen = new Set<number>();
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    seen.add(field.fid);
    if (field.fid === 1 && field.ftype === Type.I64) span.traceIdLow = readI64(input);
    else if (field.fid === 2 && field.ftype === Type.I64) span.traceIdHigh = readI64(input);
    else if (field.fid === 3 && field.ftype === Type.I64) span.spanId = i64ToHex(readI64(input));
    else if (field.fid === 4 && field.ftype === Type.I64) span.parentSpanId = i64ToHex(readI64(input));
    else if (field.fid === 5 && field.ftype === Type.STRING) span.operationName = input.readString();
    else if (field.fid === 6 && field.ftype === Type.LIST)
      span.references = readList(input, Type.STRUCT, readSpanRef);
    else if (field.fid === 7 && field.ftype === Type.I32) span.flags = input.readI32();
    else if (field.fid === 8 && field.ftype === Type.I64) span.startTime = readI64(input);
    else if (field.fid === 9 && field.ftype === Type.I64) span.duration = readI64(input);
    else if (field.fid === 10 && field.ftype === Type.LIST) span.tags = readTags(input);
    else if (field.fid === 11 && field.ftype === Type.LIST) span.logs = readList(input, Type.STRUCT, readLog);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  for (const required of [1, 2, 3, 4, 5, 7, 8, 9]) {
    if (!seen.has(required)) throw new Error(`Span is missing required field ${required}`);
  }
  span.traceId = i64ToHex(span.traceIdHigh) + i64ToHex(span.traceIdLow);
  return span;
}

function readProcess(input: TProtocol): { serviceName: string; processTags: Record<string, unknown> } {
  let serviceName: string | undefined;
  let processTags: Record<string, unknown> = {};
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    if (field.fid === 1 && field.ftype === Type.STRING) serviceName = input.readString();
    else if (field.fid === 2 && field.ftype === Type.LIST) processTags = readTags(input);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  if (serviceName === undefined) throw new Error('Process is missing serviceName');
  return { serviceName, processTags };
}

/** Reads one `Batch` struct from a protocol positioned at its start. */
export function readBatch(input: TProtocol): DecodedBatch {
  let process: ReturnType<typeof readProcess> | undefined;
  let spans: DecodedSpan[] | undefined;
  input.readStructBegin();
  for (;;) {
    const field = input.readFieldBegin();
    if (field.ftype === Type.STOP) break;
    if (field.fid === 1 && field.ftype === Type.STRUCT) process = readProcess(input);
    else if (field.fid === 2 && field.ftype === Type.LIST) spans = readList(input, Type.STRUCT, readSpan);
    else input.skip(field.ftype);
    input.readFieldEnd();
  }
  input.readStructEnd();
  if (!process || !spans) throw new Error('Batch is missing process or spans');
  return { ...process, spans };
}

/** Runs `read` on a transport holding `body`; throws if it fails or leaves bytes unread. */
export function withTransport<T>(body: Buffer, read: (transport: TBufferedTransport) => T): T {
  let result: { value: T } | undefined;
  let failure: unknown;
  // The receiver copies the bytes into a fresh buffered transport and hands it over synchronously.
  const receive = TBufferedTransport.receiver((transport) => {
    try {
      result = { value: read(transport) };
      const rest = transport as unknown as { writeCursor: number; readCursor: number };
      if (rest.writeCursor !== rest.readCursor)
        throw new Error(`${rest.writeCursor - rest.readCursor} bytes left after the message`);
    } catch (err) {
      failure = err;
    }
  }, 0);
  receive(body);
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  if (!result) throw new Error('nothing decoded');
  return result.value;
}

/** Decodes an HTTP collector body: one `Batch` in the BINARY protocol, no envelope. */
export function decodeBinaryBatch(body: Buffer): DecodedBatch {
  return withTransport(body, (transport) => readBatch(new TBinaryProtocol(transport)));
}

/** Decodes one UDP datagram: a COMPACT protocol message `emitBatch(1: Batch batch)`. */
export function decodeCompactAgentMessage(datagram: Buffer): DecodedAgentMessage {
  return withTransport(datagram, (transport) => {
    const input = new TCompactProtocol(transport);
    const message = input.readMessageBegin();
    let batch: DecodedBatch | undefined;
    input.readStructBegin();
    for (;;) {
      const field = input.readFieldBegin();
      if (field.ftype === Type.STOP) break;
      if (field.fid === 1 && field.ftype === Type.STRUCT) batch = readBatch(input);
      else input.skip(field.ftype);
      input.readFieldEnd();
    }
    input.readStructEnd();
    input.readMessageEnd();
    if (!batch) throw new Error('emitBatch without a batch');
    return { name: message.fname, type: message.mtype, seqId: message.rseqid, batch };
  });
}
