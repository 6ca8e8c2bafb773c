import { SpanStatusCode } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { OpenTracingTracer } from '@tracery/opentracing';
import { captureDiag } from '../../../../test/support/captureDiag';

describe('OpenTracingSpan', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new OpenTracingTracer({
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  });
  const only = (): ReadableSpan => {
    const spans = exporter.getFinishedSpans();
    if (spans.length !== 1) throw new Error(`expected one span, found ${spans.length}`);
    return spans[0];
  };
  const events = () => only().events.map((event) => [event.name, event.attributes]);

  beforeEach(() => exporter.reset());

  describe('tags', () => {
    it('setTag and addTags set attributes, later values replacing earlier ones; both chain', () => {
      const span = tracer.startSpan('op');
      expect(span.setTag('a', 1).addTags({ b: 'two', a: 3 })).toBe(span);
      span.finish();
      expect(only().attributes).toEqual({ a: 3, b: 'two' });
    });

    it("makes error: true (or 'true') the ERROR status and keeps error: false as a tag", () => {
      const failed = tracer.startSpan('op');
      failed.setTag('error', 'true');
      failed.finish();
      expect(only().status.code).toBe(SpanStatusCode.ERROR);
      exporter.reset();
      tracer.startSpan('op').setTag('error', false).finish();
      expect(only()).toMatchObject({ status: { code: SpanStatusCode.UNSET }, attributes: { error: false } });
    });

    it('skips a value whose reading throws, without throwing, and keeps the others', () => {
      const hostile = {
        get id(): string {
          throw new Error('no');
        },
      };
      const span = tracer.startSpan('op');
      expect(() => span.addTags({ ok: 1, hostile })).not.toThrow();
      span.finish();
      expect(only().attributes).toEqual({ ok: 1 });
    });
  });

  describe('logs', () => {
    it('become events named by their event field, the other fields as attributes, at the given time', () => {
      const at = Date.now() - 1000;
      const span = tracer.startSpan('op');
      span.log({ event: 'cache.miss', key: 'sku-1', attempt: 2 }, at);
      span.finish();
      expect(events()).toEqual([['cache.miss', { key: 'sku-1', attempt: 2 }]]);
      const [seconds, nanos] = only().events[0].time;
      expect(seconds * 1000 + Math.round(nanos / 1e6)).toBe(at);
    });

    it('without an event field are named log', () => {
      const span = tracer.startSpan('op');
      span.log({ message: 'hello' });
      span.finish();
      expect(events()).toEqual([['log', { message: 'hello' }]]);
    });

    it('logEvent(name, payload) logs { event, payload }, an object payload as JSON, as jaeger-client', () => {
      const span = tracer.startSpan('op');
      span.logEvent('retry', { after: 100 });
      span.logEvent('done', undefined);
      span.finish();
      expect(events()).toEqual([
        ['retry', { payload: '{"after":100}' }],
        ['done', {}],
      ]);
    });

    it('are not logged (nor thrown) when given something other than an object', () => {
      const diagnostics = captureDiag();
      const span = tracer.startSpan('op');
      span.log('plain text' as unknown as Record<string, unknown>);
      span.finish();
      diagnostics.restore();
      expect(events()).toEqual([]);
      expect(diagnostics.including('takes an object of fields')).toHaveLength(1);
    });
  });

  describe('baggage items', () => {
    it("are keyed as jaeger-client keys them (lower case, '_' as '-') and logged on the span", () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('Customer_Tier', 'gold');
      span.setBaggageItem('customer-tier', 'platinum');
      expect(span.getBaggageItem('CUSTOMER_TIER')).toBe('platinum');
      span.finish();
      expect(events()).toEqual([
        ['baggage', { key: 'customer-tier', value: 'gold' }],
        ['baggage', { key: 'customer-tier', value: 'platinum', override: 'true' }],
      ]);
    });

    it('are truncated to 2048 characters, and the log says so', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('big', 'x'.repeat(3000));
      span.finish();
      expect(span.getBaggageItem('big')).toHaveLength(2048);
      expect(events()).toEqual([['baggage', { key: 'big', value: 'x'.repeat(2048), truncated: 'true' }]]);
    });

    it('are at most 180 per span; more are not set (reported once)', () => {
      const diagnostics = captureDiag();
      const span = tracer.startSpan('op');
      for (let i = 0; i < 200; i++) span.setBaggageItem(`k${i}`, 'v');
      diagnostics.restore();
      expect(span.getBaggageItem('k179')).toBe('v');
      expect(span.getBaggageItem('k180')).toBeUndefined();
      expect(diagnostics.including('at most 180 baggage items')).toHaveLength(1);
    });

    it('still travel on a span that is not sampled, which records nothing', () => {
      const unsampled = new OpenTracingTracer({
        tracerProvider: new BasicTracerProvider({
          sampler: new AlwaysOffSampler(),
          spanProcessors: [new SimpleSpanProcessor(exporter)],
        }),
      });
      const span = unsampled.startSpan('op');
      span.setBaggageItem('tenant', 'acme').setTag('a', 1).log({ event: 'x' });
      expect(unsampled.startSpan('child', { childOf: span }).getBaggageItem('tenant')).toBe('acme');
      expect(span.context().isSampled()).toBe(false);
      span.finish();
      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('setOperationName and finish', () => {
    it('rename the span and end it at the given time', () => {
      const end = Date.now() + 1000;
      tracer.startSpan('draft').setOperationName('final').finish(end);
      expect(only().name).toBe('final');
      const [seconds, nanos] = only().endTime;
      expect(seconds * 1000 + Math.round(nanos / 1e6)).toBe(end);
    });
  });

  describe('its context', () => {
    it("prints as Jaeger's uber-trace-id value and gives OpenTelemetry's ids", () => {
      const span = tracer.startSpan('op');
      const spanContext = span.context();
      expect(spanContext.toTraceId()).toMatch(/^[0-9a-f]{32}$/);
      expect(spanContext.toSpanId()).toMatch(/^[0-9a-f]{16}$/);
      expect(String(spanContext)).toBe(`${spanContext.toTraceId()}:${spanContext.toSpanId()}:0:1`);
    });
  });
});
