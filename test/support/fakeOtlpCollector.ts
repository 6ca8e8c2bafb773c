// An OpenTelemetry Collector (OTLP/HTTP traces) on 127.0.0.1 for tests. It decodes protobuf bodies with a
// protobuf wire-format reader written here from the field numbers of opentelemetry-proto's trace.proto /
// common.proto / resource.proto (it shares no code with the exporter's serializer), JSON bodies with
// JSON.parse, gunzips `Content-Encoding: gzip`, and can misbehave on demand like the fake Jaeger collector.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';
import { asError, startFakeCollectorServer, type CollectorBehaviour } from './fakeCollectorServer';

export type OtlpCollectorBehaviour = CollectorBehaviour;

/** An attribute value as OTLP carries it (`int_value` as bigint, `bytes_value` as Buffer). */
export type OtlpValue =
  string | boolean | bigint | number | Buffer | OtlpValue[] | { [key: string]: OtlpValue };

export interface OtlpDecodedSpan {
  traceId: string; // 32 hex
  spanId: string; // 16 hex
  parentSpanId: string; // 16 hex, '' for none
  name: string;
  kind: number; // 1 internal, 2 server, 3 client, 4 producer, 5 consumer
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, OtlpValue>;
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, OtlpValue> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, OtlpValue> }[];
  status: { code: number; message: string }; // 0 unset, 1 ok, 2 error
  resource: Record<string, OtlpValue>;
  scope: { name: string; version: string };
}

export interface OtlpRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** Bytes on the wire (compressed, if it was). */
  bytes: number;
  encoding: 'protobuf' | 'json' | 'other';
  gzip: boolean;
}

export interface FakeOtlpCollector {
  /** http://127.0.0.1:<port>/v1/traces */
  url: string;
  /** http://127.0.0.1:<port> (for OTEL_EXPORTER_OTLP_ENDPOINT) */
  baseUrl: string;
  /** Spans of every accepted request, in arrival order. */
  spans: OtlpDecodedSpan[];
  /** Every request that reached the server, whatever the behaviour. */
  requests: OtlpRequest[];
  /** Bodies that could not be decoded (answered 400). */
  decodeErrors: Error[];
  setBehaviour(b: OtlpCollectorBehaviour, delayMs?: number): void;
  close(): Promise<void>;
}

// ---- protobuf wire format ---------------------------------------------------------------------------------

type Field = {
  no: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
  fixed64?: Buffer;
  fixed32?: Buffer;
};

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length) throw new Error('protobuf: truncated varint');
    const byte = buf[pos.i++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw new Error('protobuf: varint too long');
  }
}

function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const no = key >>> 3;
    const wire = key & 7;
    switch (wire) {
      case 0:
        fields.push({ no, wire, varint: readVarint(buf, pos) });
        break;
      case 1:
        if (pos.i + 8 > buf.length) throw new Error('protobuf: truncated fixed64');
        fields.push({ no, wire, fixed64: buf.subarray(pos.i, pos.i + 8) });
        pos.i += 8;
        break;
      case 2: {
        const len = Number(readVarint(buf, pos));
        if (pos.i + len > buf.length) throw new Error('protobuf: truncated length-delimited field');
        fields.push({ no, wire, bytes: buf.subarray(pos.i, pos.i + len) });
        pos.i += len;
        break;
      }
      case 5:
        if (pos.i + 4 > buf.length) throw new Error('protobuf: truncated fixed32');
        fields.push({ no, wire, fixed32: buf.subarray(pos.i, pos.i + 4) });
        pos.i += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return fields;
}

const str = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('utf8');
const hex = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('hex');

// AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue{1 values}, 6 KeyValueList{1 values}, 7 bytes
function pbAnyValue(buf: Buffer): OtlpValue {
  let value: OtlpValue = '';
  for (const f of readFields(buf)) {
    if (f.no === 1) value = str(f);
    else if (f.no === 2) value = f.varint === 1n;
    else if (f.no === 3) value = BigInt.asIntN(64, f.varint ?? 0n);
    else if (f.no === 4) value = f.fixed64!.readDoubleLE(0);
    else if (f.no === 5)
      value = readFields(f.bytes!)
        .filter((v) => v.no === 1)
        .map((v) => pbAnyValue(v.bytes!));
    else if (f.no === 6) value = pbKeyValues(readFields(f.bytes!).filter((v) => v.no === 1));
    else if (f.no === 7) value = Buffer.from(f.bytes!);
  }
  return value;
}

// KeyValue: 1 key, 2 value
function pbKeyValues(fields: Field[]): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const f of fields) {
    let key = '';
    let value: OtlpValue = '';
    for (const kv of readFields(f.bytes!)) {
      if (kv.no === 1) key = str(kv);
      else if (kv.no === 2) value = pbAnyValue(kv.bytes!);
    }
    out[key] = value;
  }
  return out;
}

function pbSpan(
  buf: Buffer,
  resource: Record<string, OtlpValue>,
  scope: OtlpDecodedSpan['scope'],
): OtlpDecodedSpan {
  const span: OtlpDecodedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    resource,
    scope,
  };
  const attributes: Field[] = [];
  for (const f of readFields(buf)) {
    switch (f.no) {
      case 1:
        span.traceId = hex(f);
        break;
      case 2:
        span.spanId = hex(f);
        break;
      case 4:
        span.parentSpanId = hex(f);
        break;
      case 5:
        span.name = str(f);
        break;
      case 6:
        span.kind = Number(f.varint);
        break;
      case 7:
        span.startTimeUnixNano = f.fixed64!.readBigUInt64LE(0);
        break;
      case 8:
        span.endTimeUnixNano = f.fixed64!.readBigUInt64LE(0);
        break;
      case 9:
        attributes.push(f);
        break;
      case 11: {
        const event = { name: '', timeUnixNano: 0n, attributes: {} as Record<string, OtlpValue> };
        const eventAttributes: Field[] = [];
        for (const e of readFields(f.bytes!)) {
          if (e.no === 1) event.timeUnixNano = e.fixed64!.readBigUInt64LE(0);
          else if (e.no === 2) event.name = str(e);
          else if (e.no === 3) eventAttributes.push(e);
        }
        event.attributes = pbKeyValues(eventAttributes);
        span.events.push(event);
        break;
      }
      case 13: {
        const link = { traceId: '', spanId: '', attributes: {} as Record<string, OtlpValue> };
        const linkAttributes: Field[] = [];
        for (const l of readFields(f.bytes!)) {
          if (l.no === 1) link.traceId = hex(l);
          else if (l.no === 2) link.spanId = hex(l);
          else if (l.no === 4) linkAttributes.push(l);
        }
        link.attributes = pbKeyValues(linkAttributes);
        span.links.push(link);
        break;
      }
      case 15:
        for (const s of readFields(f.bytes!)) {
          if (s.no === 2) span.status.message = str(s);
          else if (s.no === 3) span.status.code = Number(s.varint);
        }
        break;
    }
  }
  span.attributes = pbKeyValues(attributes);
  return span;
}

/** ExportTraceServiceRequest{1 ResourceSpans{1 Resource{1 attrs}, 2 ScopeSpans{1 scope{1 name, 2 version}, 2 spans}}} */
export function decodeOtlpProtobuf(body: Buffer): OtlpDecodedSpan[] {
  const spans: OtlpDecodedSpan[] = [];
  for (const rs of readFields(body).filter((f) => f.no === 1)) {
    const rsFields = readFields(rs.bytes!);
    const resourceField = rsFields.find((f) => f.no === 1);
    const resource = resourceField
      ? pbKeyValues(readFields(resourceField.bytes!).filter((f) => f.no === 1))
      : {};
    for (const ss of rsFields.filter((f) => f.no === 2)) {
      const ssFields = readFields(ss.bytes!);
      const scope = { name: '', version: '' };
      const scopeField = ssFields.find((f) => f.no === 1);
      for (const s of scopeField ? readFields(scopeField.bytes!) : []) {
        if (s.no === 1) scope.name = str(s);
        else if (s.no === 2) scope.version = str(s);
      }
      for (const sp of ssFields.filter((f) => f.no === 2)) spans.push(pbSpan(sp.bytes!, resource, scope));
    }
  }
  return spans;
}

// ---- OTLP JSON --------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function jsonInt(value: unknown): bigint {
  if (typeof value === 'string' || typeof value === 'number') return BigInt(value);
  if (value && typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }
  return 0n;
}

function jsonId(value: unknown): string {
  if (typeof value !== 'string') return '';
  // The OTLP JSON encoding puts ids in hex; base64 would be a protobuf-JSON mapping mistake.
  if (!/^[0-9a-f]*$/.test(value)) throw new Error(`OTLP JSON: id is not lowercase hex: ${value}`);
  return value;
}

function jsonAnyValue(v: Json | undefined): OtlpValue {
  if (!v) return '';
  if ('stringValue' in v) return String(v.stringValue);
  if ('boolValue' in v) return Boolean(v.boolValue);
  if ('intValue' in v) return jsonInt(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (((v.arrayValue as Json)?.values as Json[]) ?? []).map(jsonAnyValue);
  if ('kvlistValue' in v) return jsonKeyValues(((v.kvlistValue as Json)?.values as Json[]) ?? []);
  if ('bytesValue' in v) return Buffer.from(String(v.bytesValue), 'base64');
  return '';
}

function jsonKeyValues(list: Json[] | undefined): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const kv of list ?? []) out[String(kv.key)] = jsonAnyValue(kv.value as Json);
  return out;
}

export function decodeOtlpJson(body: Buffer): OtlpDecodedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as Json;
  const spans: OtlpDecodedSpan[] = [];
  for (const rs of (request.resourceSpans as Json[]) ?? []) {
    const resource = jsonKeyValues(((rs.resource as Json)?.attributes as Json[]) ?? []);
    for (const ss of (rs.scopeSpans as Json[]) ?? []) {
      const scopeJson = (ss.scope as Json) ?? {};
      const scope = { name: String(scopeJson.name ?? ''), version: String(scopeJson.version ?? '') };
      for (const s of (ss.spans as Json[]) ?? []) {
        const status = (s.status as Json) ?? {};
        spans.push({
          traceId: jsonId(s.traceId),
          spanId: jsonId(s.spanId),
          parentSpanId: jsonId(s.parentSpanId),
          name: String(s.name),
          kind: Number(s.kind ?? 0),
          startTimeUnixNano: jsonInt(s.startTimeUnixNano),
          endTimeUnixNano: jsonInt(s.endTimeUnixNano),
          attributes: jsonKeyValues(s.attributes as Json[]),
          events: ((s.events as Json[]) ?? []).map((e) => ({
            name: String(e.name),
            timeUnixNano: jsonInt(e.timeUnixNano),
            attributes: jsonKeyValues(e.attributes as Json[]),
          })),
          links: ((s.links as Json[]) ?? []).map((l) => ({
            traceId: jsonId(l.traceId),
            spanId: jsonId(l.spanId),
            attributes: jsonKeyValues(l.attributes as Json[]),
          })),
          status: { code: Number(status.code ?? 0), message: String(status.message ?? '') },
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

// ---- the server -------------------------------------------------------------------------------------------

function describeRequest(req: IncomingMessage, raw: Buffer): OtlpRequest {
  const contentType = String(req.headers['content-type'] ?? '');
  return {
    path: req.url ?? '',
    headers: req.headers,
    bytes: raw.length,
    encoding: contentType.startsWith('application/x-protobuf')
      ? 'protobuf'
      : contentType.startsWith('application/json')
        ? 'json'
        : 'other',
    gzip: req.headers['content-encoding'] === 'gzip',
  };
}

export async function startFakeOtlpCollector(
  options: { behaviour?: OtlpCollectorBehaviour; delayMs?: number } = {},
): Promise<FakeOtlpCollector> {
  const spans: OtlpDecodedSpan[] = [];
  const requests: OtlpRequest[] = [];
  const decodeErrors: Error[] = [];

  const server = await startFakeCollectorServer({
    ...options,
    status400Text: 'bad request',
    receive(req, raw) {
      requests.push(describeRequest(req, raw));
      return req.method === 'POST' ? undefined : 405;
    },
    accept(req, raw, res) {
      const request = describeRequest(req, raw);
      try {
        const body = request.gzip ? zlib.gunzipSync(raw) : raw;
        if (request.encoding === 'protobuf') spans.push(...decodeOtlpProtobuf(body));
        else if (request.encoding === 'json') spans.push(...decodeOtlpJson(body));
        else throw new Error(`unsupported content-type ${request.headers['content-type']}`);
      } catch (err) {
        decodeErrors.push(asError(err));
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request body');
        return;
      }
      // An empty ExportTraceServiceResponse: zero bytes in protobuf, `{}` in JSON.
      if (request.encoding === 'json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    },
  });
  return {
    url: `${server.baseUrl}/v1/traces`,
    baseUrl: server.baseUrl,
    spans,
    requests,
    decodeErrors,
    setBehaviour: (b, ms) => server.setBehaviour(b, ms),
    close: () => server.close(),
  };
}
