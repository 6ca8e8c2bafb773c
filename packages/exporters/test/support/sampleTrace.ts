// Spans recorded by the real SDK (BasicTracerProvider + the SDK's own in-memory exporter), with fixed times,
// for the exporter tests: a SERVER root with attributes of every type, an erroring CLIENT child with an
// event, and a grandchild with a link.
import { context, trace, SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export const T0_SECONDS = 1_700_000_000;
export const LINKED = { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: 1 };

const at = (ms: number): HrTime => [T0_SECONDS + Math.floor(ms / 1000), (ms % 1000) * 1e6];

/** Records the sample trace and returns its spans in end order: `http.request`, `charge`, `checkout`. */
export function recordSampleTrace(serviceName = 'shop'): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('sample-scope', '1.2.3');
  const root = tracer.startSpan('checkout', {
    kind: SpanKind.SERVER,
    startTime: at(0),
    attributes: {
      'http.method': 'POST',
      'cart.items': 3,
      'cart.total': 12.5,
      'cart.express': true,
      'cart.skus': ['a', 'b'],
      'cart.quantities': [1, 2],
    },
  });
  const rootContext = trace.setSpan(context.active(), root);
  const charge = tracer.startSpan('charge', { kind: SpanKind.CLIENT, startTime: at(20) }, rootContext);
  charge.addEvent('retry', { attempt: 2 }, at(30));
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  const chargeContext = trace.setSpan(rootContext, charge);
  const request = tracer.startSpan(
    'http.request',
    { startTime: at(30), links: [{ context: LINKED, attributes: { 'link.reason': 'batch' } }] },
    chargeContext,
  );
  request.end(at(60));
  charge.end(at(70));
  root.end(at(100));
  return memory.getFinishedSpans();
}
