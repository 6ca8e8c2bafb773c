import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { OpenTracingSpanContext, OpenTracingTracer } from '@tracery/opentracing';
import * as opentracing from 'opentracing';
import { captureDiag } from '../../../../test/support/captureDiag';

describe('OpenTracingTracer', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let tracer: OpenTracingTracer;

  const finished = (name: string): ReadableSpan => {
    const spans = exporter.getFinishedSpans().filter((span) => span.name === name);
    if (spans.length !== 1) throw new Error(`expected one span ${name}, found ${spans.length}`);
    return spans[0];
  };
  const idOf = (span: opentracing.Span) => span.context().toSpanId();

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });

  afterAll(() => {
    context.disable();
  });

  beforeEach(() => {
    exporter.reset();
    tracer = new OpenTracingTracer({ tracerProvider: provider });
  });

  it('is an opentracing Tracer whose spans are opentracing Spans', () => {
    const span = tracer.startSpan('op');
    expect(tracer).toBeInstanceOf(opentracing.Tracer);
    expect(span).toBeInstanceOf(opentracing.Span);
    expect(span.context()).toBeInstanceOf(opentracing.SpanContext);
    expect(span.tracer()).toBe(tracer);
  });

  describe('startSpan', () => {
    it('records an OpenTelemetry span with the operation name, the tags as attributes and the start time', () => {
      const startTime = Date.now() - 5000;
      tracer
        .startSpan('GET /price', {
          tags: { 'http.method': 'GET', 'http.status_code': 200, ratio: 0.5, cached: false, ids: [1, 2] },
          startTime,
        })
        .finish();
      const span = finished('GET /price');
      expect(span.attributes).toEqual({
        'http.method': 'GET',
        'http.status_code': 200,
        ratio: 0.5,
        cached: false,
        ids: [1, 2],
      });
      expect(span.startTime[0] * 1000 + Math.round(span.startTime[1] / 1e6)).toBe(startTime);
      expect(span.instrumentationScope.name).toBe('@tracery/opentracing');
    });

    it('records objects as JSON, as jaeger-client sends them, and leaves out undefined', () => {
      tracer.startSpan('op', { tags: { user: { id: 7, roles: ['a'] }, missing: undefined } }).finish();
      expect(finished('op').attributes).toEqual({ user: '{"id":7,"roles":["a"]}' });
    });

    it.each([
      ['server', SpanKind.SERVER],
      ['client', SpanKind.CLIENT],
      ['producer', SpanKind.PRODUCER],
      ['consumer', SpanKind.CONSUMER],
    ])('makes a span.kind tag of %s the span kind', (kind, expected) => {
      tracer.startSpan('op', { tags: { [opentracing.Tags.SPAN_KIND]: kind } }).finish();
      expect(finished('op').kind).toBe(expected);
      expect(finished('op').attributes).toEqual({});
    });

    it('keeps a span.kind tag it does not know as a tag', () => {
      tracer.startSpan('op', { tags: { 'span.kind': 'toString' } }).finish();
      expect(finished('op')).toMatchObject({
        kind: SpanKind.INTERNAL,
        attributes: { 'span.kind': 'toString' },
      });
    });

    it('makes an error tag of true the ERROR status', () => {
      tracer.startSpan('op', { tags: { error: true } }).finish();
      expect(finished('op').status.code).toBe(SpanStatusCode.ERROR);
      expect(finished('op').attributes).toEqual({});
    });

    it('makes childOf (a span or its context) the parent, in the same trace', () => {
      const root = tracer.startSpan('root');
      tracer.startSpan('by span', { childOf: root }).finish();
      tracer.startSpan('by context', { childOf: root.context() }).finish();
      root.finish();
      for (const name of ['by span', 'by context']) {
        expect(finished(name).parentSpanContext?.spanId).toBe(idOf(root));
        expect(finished(name).spanContext().traceId).toBe(root.context().toTraceId());
      }
    });

    it('takes the first childOf reference as parent, else the first followsFrom, as jaeger-client; the others are links', () => {
      const a = tracer.startSpan('a');
      const b = tracer.startSpan('b');
      const c = tracer.startSpan('c');
      tracer
        .startSpan('child', {
          references: [opentracing.followsFrom(a), opentracing.childOf(b), opentracing.childOf(c)],
        })
        .finish();
      tracer.startSpan('follower', { references: [opentracing.followsFrom(a)] }).finish();
      const child = finished('child');
      expect(child.parentSpanContext?.spanId).toBe(idOf(b));
      expect(child.links.map((link) => [link.context.spanId, link.attributes])).toEqual([
        [idOf(a), { 'opentracing.ref_type': 'follows_from' }],
        [idOf(c), { 'opentracing.ref_type': 'child_of' }],
      ]);
      expect(finished('follower').parentSpanContext?.spanId).toBe(idOf(a));
      expect(finished('follower').links.map((link) => [link.context.spanId, link.attributes])).toEqual([
        [idOf(a), { 'opentracing.ref_type': 'follows_from' }],
      ]);
    });

    it("is a child of OpenTelemetry's active span when no parent is given", () => {
      const otelSpan = provider.getTracer('t').startSpan('instrumented request');
      context.with(trace.setSpan(ROOT_CONTEXT, otelSpan), () => tracer.startSpan('inner').finish());
      expect(finished('inner').parentSpanContext?.spanId).toBe(otelSpan.spanContext().spanId);
    });

    it('starts a new trace when no parent is given and none is active', () => {
      tracer.startSpan('root').finish();
      expect(finished('root').parentSpanContext).toBeUndefined();
    });

    it('ignores a parent of another tracer (reported once) and starts a new trace', () => {
      const diagnostics = captureDiag();
      const foreign = new opentracing.MockTracer().startSpan('foreign');
      tracer.startSpan('x', { childOf: foreign }).finish();
      tracer.startSpan('y', { childOf: foreign.context() }).finish();
      diagnostics.restore();
      expect(finished('x').parentSpanContext).toBeUndefined();
      expect(diagnostics.including('another tracer')).toHaveLength(1);
    });

    it('does not modify the options it is given', () => {
      const root = tracer.startSpan('root');
      const references = [opentracing.followsFrom(root)];
      const options = { childOf: root, references, tags: { a: 1 } };
      tracer.startSpan('child', options);
      expect(options).toEqual({ childOf: root, references: [opentracing.followsFrom(root)], tags: { a: 1 } });
    });
  });

  describe('inject and extract', () => {
    it("write Jaeger's uber-trace-id and uberctx-* by default, for HTTP headers and text maps", () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('customer', 'acme corp');
      for (const format of [opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_TEXT_MAP]) {
        const carrier: Record<string, string> = {};
        tracer.inject(span, format, carrier);
        expect(carrier).toEqual({
          'uber-trace-id': `${span.context().toTraceId()}:${span.context().toSpanId()}:0:1`,
          'uberctx-customer': 'acme%20corp',
        });
      }
    });

    it('read back what they wrote: the ids, the sampled flag and the baggage, as a remote parent', () => {
      const span = tracer.startSpan('op');
      span.setBaggageItem('customer', 'acme');
      const carrier: Record<string, string> = {};
      tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, carrier);
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, carrier)!;
      expect(extracted.toTraceId()).toBe(span.context().toTraceId());
      expect(extracted.toSpanId()).toBe(span.context().toSpanId());
      expect(extracted.isSampled()).toBe(true);
      const child = tracer.startSpan('server', { childOf: extracted });
      expect(child.getBaggageItem('customer')).toBe('acme');
      child.finish();
      expect(finished('server').parentSpanContext).toMatchObject({
        spanId: span.context().toSpanId(),
        isRemote: true,
      });
    });

    it("read a jaeger-client peer's 64-bit trace id, left-padded, and Node's incoming header objects", () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'uber-trace-id': ['5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1'],
        'UBERCTX-Tenant': 'a%2Fb',
      })!;
      expect(extracted.toTraceId()).toBe('00000000000000005d2c3a1f9e8b7a60');
      expect(extracted.toSpanId()).toBe('1a2b3c4d5e6f7081');
      expect(tracer.startSpan('x', { childOf: extracted }).getBaggageItem('tenant')).toBe('a/b');
    });

    it.each<[string, 'w3c' | 'b3' | 'b3single', RegExp]>([
      ['w3c', 'w3c', /^traceparent$/],
      ['b3', 'b3', /^x-b3-traceid$/],
      ['b3single', 'b3single', /^b3$/],
    ])('use %s headers when chosen', (_label, format, header) => {
      const chosen = new OpenTracingTracer({ tracerProvider: provider, propagation: format });
      const span = chosen.startSpan('op');
      const carrier: Record<string, string> = {};
      chosen.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      expect(Object.keys(carrier).some((key) => header.test(key))).toBe(true);
      expect(chosen.extract(opentracing.FORMAT_HTTP_HEADERS, carrier)!.toSpanId()).toBe(
        span.context().toSpanId(),
      );
    });

    it('give, for a carrier without a valid trace context, a context with empty ids that starts a new trace with its baggage', () => {
      const extracted = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'uber-trace-id': 'not-a-trace',
        'uberctx-debug-user': 'ann',
      })!;
      expect(extracted.toTraceId()).toBe('');
      const span = tracer.startSpan('fresh', { childOf: extracted });
      span.finish();
      expect(finished('fresh').parentSpanContext).toBeUndefined();
      expect(span.getBaggageItem('debug-user')).toBe('ann');
      expect(tracer.extract(opentracing.FORMAT_TEXT_MAP, undefined)).toBeInstanceOf(OpenTracingSpanContext);
    });

    it('write nothing and read null for FORMAT_BINARY or an unknown format, without throwing (reported once)', () => {
      const diagnostics = captureDiag();
      const span = tracer.startSpan('op');
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_BINARY, carrier);
      tracer.inject(span, 'grpc-metadata', carrier);
      expect(tracer.extract(opentracing.FORMAT_BINARY, carrier)).toBeNull();
      diagnostics.restore();
      expect(carrier).toEqual({});
      expect(diagnostics.including('inject supports FORMAT_HTTP_HEADERS')).toHaveLength(1);
      expect(diagnostics.including('extract supports FORMAT_HTTP_HEADERS')).toHaveLength(1);
    });

    it('survive a hostile carrier', () => {
      const hostile = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('no keys for you');
          },
          set: () => {
            throw new Error('read-only');
          },
        },
      );
      const span = tracer.startSpan('op');
      expect(() => tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, hostile)).not.toThrow();
      expect(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, hostile)?.toTraceId()).toBe('');
    });
  });

  describe('baggage', () => {
    it("passes from a span to its children, and not back (each span's context is immutable, as in jaeger-client)", () => {
      const root = tracer.startSpan('root');
      root.setBaggageItem('tenant', 'acme');
      const before = root.context();
      const child = tracer.startSpan('child', { childOf: root });
      child.setBaggageItem('step', 'two');
      expect(child.getBaggageItem('tenant')).toBe('acme');
      expect(root.getBaggageItem('step')).toBeUndefined();
      root.setBaggageItem('late', 'yes');
      expect(child.getBaggageItem('late')).toBeUndefined();
      expect(root.context()).not.toBe(before);
    });

    it('is OpenTelemetry baggage of the active context when a span starts without a parent', () => {
      const active = propagation.setBaggage(
        ROOT_CONTEXT,
        propagation.createBaggage({ region: { value: 'eu' } }),
      );
      const span = context.with(active, () => tracer.startSpan('op'));
      expect(span.getBaggageItem('region')).toBe('eu');
    });
  });

  describe('close', () => {
    it("flushes the provider it was given (which stays usable: it is the caller's) and calls back", async () => {
      const flushes: string[] = [];
      const flushing = new OpenTracingTracer({
        tracerProvider: Object.assign(Object.create(provider) as BasicTracerProvider, {
          forceFlush: async () => void flushes.push('flushed'),
        }),
      });
      const called = jest.fn();
      await flushing.close(called);
      expect(flushes).toEqual(['flushed']);
      expect(called).toHaveBeenCalledTimes(1);
    });
  });
});
