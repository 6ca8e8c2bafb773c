import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { isDebugSpan } from '@tracery/commons';
import {
  LogFields,
  ProcessFields,
  SpanFields,
  SpanRefFields,
  SpanRefType,
  TagFields,
  TagType,
} from './thrift/jaegerSchema';
import { ThriftType, type ThriftWriter } from './thrift/ThriftWriter';

/** Used as `Process.serviceName` when the resource has no `service.name`. */
export const UNKNOWN_SERVICE_NAME = 'unknown_service';

const SPAN_KIND_TAG: Partial<Record<SpanKind, string>> = {
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};
const ZERO_ID = '0000000000000000';
const JAEGER_SAMPLED = 1;
/** Jaeger's debug flag: a span of a trace forced sampled, which the backend should keep (see `markDebugSpan`). */
const JAEGER_DEBUG = 2;

function microseconds(time: HrTime): number {
  return time[0] * 1e6 + Math.round(time[1] / 1e3);
}

function writeTagHead(w: ThriftWriter, key: string, type: number): void {
  w.structBegin();
  w.fieldBegin(TagFields.key.type, TagFields.key.id);
  w.string(key);
  w.fieldBegin(TagFields.vType.type, TagFields.vType.id);
  w.i32(type);
}

function writeStringTag(w: ThriftWriter, key: string, value: string): void {
  writeTagHead(w, key, TagType.STRING);
  w.fieldBegin(TagFields.vStr.type, TagFields.vStr.id);
  w.string(value);
  w.structEnd();
}

function writeBoolTag(w: ThriftWriter, key: string, value: boolean): void {
  writeTagHead(w, key, TagType.BOOL);
  w.boolField(TagFields.vBool.id, value);
  w.structEnd();
}

function toJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One attribute as a Tag: integers LONG, other numbers DOUBLE, strings STRING, booleans BOOL, bytes BINARY,
 * arrays (and anything else) as a JSON string.
 */
function writeValueTag(w: ThriftWriter, key: string, value: unknown): void {
  switch (typeof value) {
    case 'string':
      writeStringTag(w, key, value);
      return;
    case 'boolean':
      writeBoolTag(w, key, value);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) {
        writeTagHead(w, key, TagType.LONG);
        w.fieldBegin(TagFields.vLong.type, TagFields.vLong.id);
        w.i64Number(value);
      } else {
        writeTagHead(w, key, TagType.DOUBLE);
        w.fieldBegin(TagFields.vDouble.type, TagFields.vDouble.id);
        w.double(value);
      }
      w.structEnd();
      return;
    case 'bigint':
      if (BigInt.asIntN(64, value) === value) {
        writeTagHead(w, key, TagType.LONG);
        w.fieldBegin(TagFields.vLong.type, TagFields.vLong.id);
        w.i64Hex(BigInt.asUintN(64, value).toString(16).padStart(16, '0'), 0);
        w.structEnd();
      } else {
        writeStringTag(w, key, value.toString());
      }
      return;
    default:
      if (value instanceof Uint8Array) {
        writeTagHead(w, key, TagType.BINARY);
        w.fieldBegin(TagFields.vBinary.type, TagFields.vBinary.id);
        w.binary(value);
        w.structEnd();
      } else {
        writeStringTag(w, key, toJson(value));
      }
  }
}

function countDefined(attributes: Attributes, skipKey?: string): number {
  let n = 0;
  for (const key in attributes) {
    if (attributes[key] != null && key !== skipKey) n++;
  }
  return n;
}

function writeAttributeTags(w: ThriftWriter, attributes: Attributes, skipKey?: string): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value != null && key !== skipKey) writeValueTag(w, key, value);
  }
}

/** Writes `span` as a Jaeger `Span` struct. */
export function writeJaegerSpan(w: ThriftWriter, span: ReadableSpan): void {
  const context = span.spanContext();
  const traceId = context.traceId;
  const attributes = span.attributes ?? {};
  const status = span.status;
  const scope = span.instrumentationScope;
  const kindTag = SPAN_KIND_TAG[span.kind];
  const isError = status?.code === SpanStatusCode.ERROR;
  const statusCode = isError ? 'ERROR' : status?.code === SpanStatusCode.OK ? 'OK' : undefined;
  const statusDescription = isError && status.message ? status.message : undefined;

  w.structBegin();
  w.fieldBegin(SpanFields.traceIdLow.type, SpanFields.traceIdLow.id);
  // 64-bit trace ids arrive left-padded to 32 characters, so the high half is then zero.
  w.i64Hex(traceId, 16);
  w.fieldBegin(SpanFields.traceIdHigh.type, SpanFields.traceIdHigh.id);
  w.i64Hex(traceId, 0);
  w.fieldBegin(SpanFields.spanId.type, SpanFields.spanId.id);
  w.i64Hex(context.spanId, 0);
  w.fieldBegin(SpanFields.parentSpanId.type, SpanFields.parentSpanId.id);
  w.i64Hex(span.parentSpanContext?.spanId ?? ZERO_ID, 0);
  w.fieldBegin(SpanFields.operationName.type, SpanFields.operationName.id);
  w.string(span.name);

  const links = span.links;
  if (links && links.length > 0) {
    w.fieldBegin(SpanFields.references.type, SpanFields.references.id);
    w.listBegin(ThriftType.STRUCT, links.length);
    for (const link of links) {
      w.structBegin();
      w.fieldBegin(SpanRefFields.refType.type, SpanRefFields.refType.id);
      w.i32(SpanRefType.FOLLOWS_FROM);
      w.fieldBegin(SpanRefFields.traceIdLow.type, SpanRefFields.traceIdLow.id);
      w.i64Hex(link.context.traceId, 16);
      w.fieldBegin(SpanRefFields.traceIdHigh.type, SpanRefFields.traceIdHigh.id);
      w.i64Hex(link.context.traceId, 0);
      w.fieldBegin(SpanRefFields.spanId.type, SpanRefFields.spanId.id);
      w.i64Hex(link.context.spanId, 0);
      w.structEnd();
    }
  }

  w.fieldBegin(SpanFields.flags.type, SpanFields.flags.id);
  w.i32((context.traceFlags & JAEGER_SAMPLED) | (isDebugSpan(context) ? JAEGER_DEBUG : 0));
  w.fieldBegin(SpanFields.startTime.type, SpanFields.startTime.id);
  w.i64Number(microseconds(span.startTime));
  w.fieldBegin(SpanFields.duration.type, SpanFields.duration.id);
  w.i64Number(microseconds(span.duration));

  // The span's kind is the one `span.kind` tag: an attribute of that name (OpenTracing-style code sets it)
  // would be a second one. Without a kind (INTERNAL) the attribute stays.
  const skippedAttribute = kindTag ? 'span.kind' : undefined;
  const tagCount =
    countDefined(attributes, skippedAttribute) +
    (kindTag ? 1 : 0) +
    (isError ? 1 : 0) +
    (statusCode ? 1 : 0) +
    (statusDescription ? 1 : 0) +
    (scope?.name ? 1 : 0) +
    (scope?.name && scope.version ? 1 : 0);
  if (tagCount > 0) {
    w.fieldBegin(SpanFields.tags.type, SpanFields.tags.id);
    w.listBegin(ThriftType.STRUCT, tagCount);
    writeAttributeTags(w, attributes, skippedAttribute);
    if (kindTag) writeStringTag(w, 'span.kind', kindTag);
    // Status tags come after the attributes, so they win over a user attribute of the same name.
    if (isError) writeBoolTag(w, 'error', true);
    if (statusCode) writeStringTag(w, 'otel.status_code', statusCode);
    if (statusDescription) writeStringTag(w, 'otel.status_description', statusDescription);
    if (scope?.name) {
      writeStringTag(w, 'otel.scope.name', scope.name);
      if (scope.version) writeStringTag(w, 'otel.scope.version', scope.version);
    }
  }

  const events = span.events;
  if (events && events.length > 0) {
    w.fieldBegin(SpanFields.logs.type, SpanFields.logs.id);
    w.listBegin(ThriftType.STRUCT, events.length);
    for (const event of events) {
      const eventAttributes = event.attributes ?? {};
      w.structBegin();
      w.fieldBegin(LogFields.timestamp.type, LogFields.timestamp.id);
      w.i64Number(microseconds(event.time));
      w.fieldBegin(LogFields.fields.type, LogFields.fields.id);
      w.listBegin(ThriftType.STRUCT, 1 + countDefined(eventAttributes, 'event'));
      writeStringTag(w, 'event', event.name);
      writeAttributeTags(w, eventAttributes, 'event');
      w.structEnd();
    }
  }
  w.structEnd();
}

/** The resource attributes a span carries, or none when they cannot be read. */
function resourceAttributes(resource: Resource | undefined): Attributes {
  try {
    return resource?.attributes ?? {};
  } catch {
    return {};
  }
}

/** Writes `resource` as a Jaeger `Process`: `service.name` is the service name, the rest are tags. */
export function writeJaegerProcess(w: ThriftWriter, resource: Resource | undefined): void {
  const attributes = resourceAttributes(resource);
  const serviceName = attributes['service.name'];
  w.structBegin();
  w.fieldBegin(ProcessFields.serviceName.type, ProcessFields.serviceName.id);
  w.string((serviceName == null ? '' : String(serviceName)) || UNKNOWN_SERVICE_NAME);
  const tagCount = countDefined(attributes, 'service.name');
  if (tagCount > 0) {
    w.fieldBegin(ProcessFields.tags.type, ProcessFields.tags.id);
    w.listBegin(ThriftType.STRUCT, tagCount);
    writeAttributeTags(w, attributes, 'service.name');
  }
  w.structEnd();
}
