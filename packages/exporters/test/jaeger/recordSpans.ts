// Real spans for the Jaeger tests, made by the OpenTelemetry SDK (not hand-built objects), with chosen ids.
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, trace, type Context, type SpanContext, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export interface RecordOptions {
  /** Resource attributes (merged over the SDK's default resource). */
  resource?: Record<string, string | number | boolean | string[]>;
  /** Trace ids handed out in order (then random ones). */
  traceIds?: string[];
  /** Span ids handed out in order (then random ones). */
  spanIds?: string[];
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Runs `fn` with a tracer of a fresh provider and returns the spans it ended, in end order. */
export function recordSpans(
  fn: (tracer: Tracer, provider: { resource: Resource }) => void,
  options: RecordOptions = {},
): ReadableSpan[] {
  const traceIds = [...(options.traceIds ?? [])];
  const spanIds = [...(options.spanIds ?? [])];
  const exporter = new InMemorySpanExporter();
  const resource = resourceFromAttributes(options.resource ?? { 'service.name': 'test-service' });
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    idGenerator: {
      generateTraceId: () => traceIds.shift() ?? randomHex(16),
      generateSpanId: () => spanIds.shift() ?? randomHex(8),
    },
  });
  fn(provider.getTracer('test-scope', '1.2.3'), { resource });
  return exporter.getFinishedSpans();
}

/** A context whose active span is a remote parent with these ids. */
export function remoteParent(traceId: string, spanId: string, traceFlags = 1): Context {
  const parent: SpanContext = { traceId, spanId, traceFlags, isRemote: true };
  return trace.setSpanContext(ROOT_CONTEXT, parent);
}

/** Microseconds of an HrTime, as the wire carries them. */
export function micros(time: [number, number]): bigint {
  return BigInt(time[0]) * 1_000_000n + BigInt(Math.round(time[1] / 1000));
}
