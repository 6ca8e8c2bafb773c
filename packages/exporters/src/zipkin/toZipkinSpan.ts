import { SpanKind, SpanStatusCode, type AttributeValue, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { isDebugSpan } from '@tracery/commons';

/** A span as the Zipkin v2 API takes it (`ListOfSpans` in zipkin2-api.yaml). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  /** Start, in microseconds since the epoch. */
  timestamp: number;
  /** In microseconds, at least 1. */
  duration: number;
  localEndpoint: { serviceName: string };
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
  /** A span of a debug trace (B3's `X-B3-Flags: 1`): to be stored whatever the sampling policy says. */
  debug?: true;
}

const KINDS: Partial<Record<SpanKind, ZipkinSpan['kind']>> = {
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

const SERVICE_NAME = 'service.name';

function microseconds(time: HrTime): number {
  return time[0] * 1e6 + Math.round(time[1] / 1e3);
}

/** Zipkin tags are strings: arrays as JSON, everything else as `String` does. */
function tagValue(value: AttributeValue): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/**
 * Maps an OpenTelemetry span onto a Zipkin v2 span: ids as they are (32-hex trace ids), kind (none for INTERNAL),
 * microsecond times, `service.name` as the local endpoint, attributes and the other resource attributes as tags
 * (plus `otel.scope.name`/`otel.scope.version`, `otel.status_code`, and `error` with the status message for an
 * ERROR status), events as annotations (their attributes as JSON after the name), `debug: true` for a span of
 * a debug trace (`markDebugSpan`). Links have no Zipkin form.
 */
export function toZipkinSpan(span: ReadableSpan): ZipkinSpan {
  const context = span.spanContext();
  const resourceAttributes = span.resource?.attributes ?? {};
  const serviceName = resourceAttributes[SERVICE_NAME];
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(resourceAttributes)) {
    if (key !== SERVICE_NAME && value !== undefined) tags[key] = tagValue(value);
  }
  for (const [key, value] of Object.entries(span.attributes)) {
    if (value !== undefined) tags[key] = tagValue(value);
  }
  const scope = span.instrumentationScope;
  if (scope?.name) tags['otel.scope.name'] = scope.name;
  if (scope?.version) tags['otel.scope.version'] = scope.version;
  if (span.status.code === SpanStatusCode.ERROR) {
    tags['otel.status_code'] = 'ERROR';
    tags.error = span.status.message || 'true';
  } else if (span.status.code === SpanStatusCode.OK) {
    tags['otel.status_code'] = 'OK';
  }
  if (span.droppedAttributesCount)
    tags['otel.dropped_attributes_count'] = String(span.droppedAttributesCount);
  if (span.droppedEventsCount) tags['otel.dropped_events_count'] = String(span.droppedEventsCount);

  const zipkin: ZipkinSpan = {
    traceId: context.traceId,
    id: context.spanId,
    name: span.name,
    timestamp: microseconds(span.startTime),
    duration: Math.max(1, microseconds(span.duration)),
    localEndpoint: { serviceName: typeof serviceName === 'string' ? serviceName : 'unknown_service' },
  };
  const parentId = span.parentSpanContext?.spanId;
  if (parentId) zipkin.parentId = parentId;
  const kind = KINDS[span.kind];
  if (kind) zipkin.kind = kind;
  if (span.events.length > 0) {
    zipkin.annotations = span.events.map((event) => {
      const attributes =
        event.attributes && Object.keys(event.attributes).length > 0 ? event.attributes : undefined;
      return {
        timestamp: microseconds(event.time),
        value: attributes ? `${event.name} ${JSON.stringify(attributes)}` : event.name,
      };
    });
  }
  if (Object.keys(tags).length > 0) zipkin.tags = tags;
  if (isDebugSpan(context)) zipkin.debug = true;
  return zipkin;
}
