import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { WaterfallSpan } from './renderWaterfall';

// SpanStatusCode.ERROR, without loading the API's enum object for it.
const STATUS_ERROR = 2;

function hrTimeToMs(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** Converts an SDK span to the neutral shape `renderWaterfall` draws. */
export function toWaterfallSpan(span: ReadableSpan): WaterfallSpan {
  const serviceName = span.resource?.attributes['service.name'];
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    startTimeMs: hrTimeToMs(span.startTime),
    durationMs: hrTimeToMs(span.duration),
    error: span.status.code === STATUS_ERROR,
    errorMessage: span.status.message || undefined,
    serviceName: typeof serviceName === 'string' ? serviceName : undefined,
    attributes: { ...span.attributes },
    events: span.events.map((event) => ({
      name: event.name,
      timeMs: hrTimeToMs(event.time),
      attributes: event.attributes ? { ...event.attributes } : undefined,
    })),
  };
}
