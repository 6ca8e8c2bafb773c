import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Traced, TracerService, type SamplerConfig, type TracingOptions } from '@tracery/core';
import { captureDiag, idOf, parentOf } from '../support/inMemoryPipeline';

/** A service on its own in-memory exporter; shut down (and unregistered) after each test. */
let exporter: InMemorySpanExporter;
let service: TracerService | undefined;
function start(options: TracingOptions = {}): TracerService {
  exporter = new InMemorySpanExporter();
  service = new TracerService({ spanProcessors: [new SimpleSpanProcessor(exporter)], ...options });
  return service;
}
/** `start()` while OTEL_PROPAGATORS has this value; the variable is removed again before returning. */
function startWithPropagators(value: string): TracerService {
  process.env.OTEL_PROPAGATORS = value;
  try {
    return start();
  } finally {
    delete process.env.OTEL_PROPAGATORS;
  }
}
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});

describe('TracerService', () => {
  describe('when constructed with default options', () => {
    it('registers its provider, a context manager and the w3c propagator globally', async () => {
      const tracing = start({ serviceName: 'checkout' });
      class Cart {
        @Traced()
        total() {
          return trace.getActiveSpan() !== undefined;
        }
      }
      expect(new Cart().total()).toBe(true);
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('Cart.total');
      expect(span.resource.attributes['service.name']).toBe('checkout');
      const headers: Record<string, string> = {};
      tracing.withSpan('outer', () => propagation.inject(context.active(), headers));
      expect(Object.keys(headers)).toEqual(['traceparent']);
    });

    it('unregisters on shutdown, so another service can register', async () => {
      const first = start();
      await first.shutdown();
      const second = start();
      trace.getTracer('t').startSpan('after').end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['after']);
      expect(second.provider).not.toBe(first.provider);
    });

    it('reports once and keeps the first provider when one is already registered', async () => {
      const first = start();
      const firstExporter = exporter;
      const diagnostics = captureDiag();
      const second = new TracerService({ spanProcessors: [] });
      diagnostics.restore();
      trace.getTracer('t').startSpan('kept').end();
      expect(firstExporter.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
      expect(diagnostics.messages.join('\n')).toContain('already registered');
      await second.shutdown();
      trace.getTracer('t').startSpan('still').end();
      expect(firstExporter.getFinishedSpans()).toHaveLength(2);
      await first.shutdown();
    });
  });

  describe('when registerGlobal is false', () => {
    it('leaves the global provider alone but still traces through its own methods', () => {
      const tracing = start({ registerGlobal: false });
      expect(trace.getTracer('t').startSpan('global').isRecording()).toBe(false);
      tracing.startSpan('own').end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['own']);
    });
  });

  describe('when disabled', () => {
    it('records nothing with enabled:false', () => {
      const tracing = start({ enabled: false });
      const span = tracing.startSpan('nothing');
      expect(span.isRecording()).toBe(false);
      expect(tracing.withSpan('nothing', () => 5)).toBe(5);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
    });

    it('is disabled by OTEL_SDK_DISABLED=true unless enabled is given', () => {
      process.env.OTEL_SDK_DISABLED = 'true';
      try {
        expect(start().startSpan('off').isRecording()).toBe(false);
      } finally {
        delete process.env.OTEL_SDK_DISABLED;
      }
    });

    it('traces with enabled:true even when OTEL_SDK_DISABLED=true', () => {
      process.env.OTEL_SDK_DISABLED = 'true';
      let tracing: TracerService;
      try {
        tracing = start({ enabled: true });
      } finally {
        delete process.env.OTEL_SDK_DISABLED;
      }
      tracing.startSpan('on').end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['on']);
    });
  });

  describe('startSpan', () => {
    it('starts a child of the active span, or of the given parent context', () => {
      const tracing = start();
      const explicitParent = tracing.startSpan('explicit');
      tracing.withSpan('active', () => {
        tracing.startSpan('child-of-active').end();
        tracing.startSpan('child-of-explicit', {}, trace.setSpan(context.active(), explicitParent)).end();
      });
      explicitParent.end();
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(byName.get('child-of-active')!.parentSpanContext?.spanId).toBe(
        byName.get('active')!.spanContext().spanId,
      );
      expect(byName.get('child-of-explicit')!.parentSpanContext?.spanId).toBe(
        explicitParent.spanContext().spanId,
      );
    });
  });

  describe('startSpan with a span or span context as the parent', () => {
    it('starts a child of a span given as the parent', () => {
      const tracing = start();
      const parent = tracing.startSpan('parent');
      tracing.withSpan('active', () => tracing.startSpan('child', {}, parent).end());
      parent.end();
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(parentOf(byName.get('child')!)).toBe(idOf(byName.get('parent')!));
      expect(byName.get('child')!.spanContext().traceId).toBe(parent.spanContext().traceId);
    });

    it('starts a child of a span context given as the parent, such as a remote one', () => {
      const tracing = start();
      const remote = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      };
      tracing.startSpan('child', {}, remote).end();
      const [child] = exporter.getFinishedSpans();
      expect(child.spanContext().traceId).toBe(remote.traceId);
      expect(child.parentSpanContext).toMatchObject({ spanId: remote.spanId, isRemote: true });
    });

    it('keeps the active baggage under a span given as the parent option', () => {
      const tracing = start();
      const parent = tracing.startSpan('parent');
      const headers: Record<string, unknown> = {};
      const withBaggage = propagation.setBaggage(
        ROOT_CONTEXT,
        propagation.createBaggage({ tenant: { value: 'acme' } }),
      );
      context.with(withBaggage, () => tracing.withSpan('child', () => tracing.inject(headers), { parent }));
      expect(headers.baggage).toBe('tenant=acme');
      expect(headers.traceparent).toMatch(new RegExp(`^00-${parent.spanContext().traceId}-`));
    });

    it('reports a parent that is none of these once and uses the active context', () => {
      const tracing = start();
      const diagnostics = captureDiag();
      tracing.withSpan('active', () => {
        tracing.startSpan('first', {}, { not: 'a parent' } as never).end();
        tracing.startSpan('second', {}, 42 as never).end();
      });
      diagnostics.restore();
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(parentOf(byName.get('first')!)).toBe(idOf(byName.get('active')!));
      expect(parentOf(byName.get('second')!)).toBe(idOf(byName.get('active')!));
      expect(
        diagnostics.messages.filter((m) => m.includes('is not a span, a span context or a context')),
      ).toHaveLength(1);
    });
  });

  describe('withSpan', () => {
    it('makes the span a child of a span given as the parent option', () => {
      const tracing = start();
      const parent = tracing.startSpan('parent');
      tracing.withSpan('child', () => tracing.startSpan('grandchild').end(), { parent });
      parent.end();
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(parentOf(byName.get('child')!)).toBe(idOf(byName.get('parent')!));
      expect(parentOf(byName.get('grandchild')!)).toBe(idOf(byName.get('child')!));
    });

    it('runs a sync function in an active span and ends it', () => {
      const tracing = start();
      const result = tracing.withSpan('sync', (span) => {
        expect(tracing.activeSpan()).toBe(span);
        return 'value';
      });
      expect(result).toBe('value');
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['sync']);
      expect(tracing.activeSpan()).toBeUndefined();
    });

    it('returns the same promise and ends the span when it settles', async () => {
      const tracing = start();
      let resolve!: (v: number) => void;
      const promise = new Promise<number>((r) => (resolve = r));
      const returned = tracing.withSpan('async', () => promise);
      expect(returned).toBe(promise);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      resolve(1);
      await returned;
      await new Promise((r) => setImmediate(r));
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['async']);
    });

    it('rethrows the same error and records it', () => {
      const tracing = start();
      const error = new Error('failed');
      expect(() =>
        tracing.withSpan('failing', () => {
          throw error;
        }),
      ).toThrow(error);
      const [span] = exporter.getFinishedSpans();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events[0].name).toBe('exception');
    });

    it('returns the same rejected promise, records the rejection and adds no unhandled rejection', async () => {
      const tracing = start();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const error = new Error('async failure');
        const rejected = Promise.reject(error);
        const returned = tracing.withSpan('rejecting', () => rejected);
        expect(returned).toBe(rejected);
        await expect(returned).rejects.toBe(error);
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
      const [span] = exporter.getFinishedSpans();
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'async failure' });
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('runs the function without a span when starting one throws, and reports it once', () => {
      const tracing = start({
        sampler: {
          shouldSample() {
            throw new Error('sampler exploded');
          },
        },
      });
      const diagnostics = captureDiag();
      const results = [1, 2].map(() => tracing.withSpan('fragile', (span) => span.isRecording()));
      diagnostics.restore();
      expect(results).toEqual([false, false]);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      const reports = diagnostics.messages.filter((m) => m.includes('could not start span fragile'));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('sampler exploded');
    });

    it('makes the span a child of the parent option, such as an extracted remote context', () => {
      const tracing = start();
      const remote = tracing.extract({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      const seen = tracing.withSpan('handle', () => trace.getSpanContext(context.active())?.traceId, {
        parent: remote,
      });
      const [span] = exporter.getFinishedSpans();
      expect(seen).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span.parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
    });

    it('honours isError and the span options', () => {
      const tracing = start();
      expect(() =>
        tracing.withSpan(
          'expected',
          () => {
            throw new Error('not found');
          },
          { isError: () => false, attributes: { kind: 'lookup' } },
        ),
      ).toThrow('not found');
      const [span] = exporter.getFinishedSpans();
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toEqual({ kind: 'lookup' });
    });
  });

  describe('withActiveSpan', () => {
    class Worker {
      @Traced()
      async run() {
        await new Promise((resolve) => setImmediate(resolve));
        return this.step();
      }

      @Traced()
      step() {
        return 'done';
      }
    }

    it('runs fn with the span active: @Traced spans and spans started inside, after await too, are its children', async () => {
      const tracing = start();
      const job = tracing.startSpan('job');
      const result = await tracing.withActiveSpan(job, async () => {
        expect(tracing.activeSpan()).toBe(job);
        await new Promise((resolve) => setImmediate(resolve));
        tracing.startSpan('inside').end();
        return new Worker().run();
      });
      job.end();
      expect(result).toBe('done');
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(parentOf(byName.get('inside')!)).toBe(idOf(byName.get('job')!));
      expect(parentOf(byName.get('Worker.run')!)).toBe(idOf(byName.get('job')!));
      expect(parentOf(byName.get('Worker.step')!)).toBe(idOf(byName.get('Worker.run')!));
      expect(tracing.activeSpan()).toBeUndefined();
    });

    it('returns what fn returns, the same promise, and neither starts nor ends a span', async () => {
      const tracing = start();
      const job = tracing.startSpan('job');
      const promise = Promise.resolve(7);
      expect(tracing.withActiveSpan(job, () => promise)).toBe(promise);
      expect(tracing.withActiveSpan(job, () => 'sync')).toBe('sync');
      await promise;
      expect(exporter.getFinishedSpans()).toEqual([]);
      expect(job.isRecording()).toBe(true);
      job.end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['job']);
    });

    it("lets fn's errors through unchanged, sync and async, with the span still open", async () => {
      const tracing = start();
      const job = tracing.startSpan('job');
      const error = new Error('failed');
      expect(() =>
        tracing.withActiveSpan(job, () => {
          throw error;
        }),
      ).toThrow(error);
      const rejected = Promise.reject(error);
      expect(tracing.withActiveSpan(job, () => rejected)).toBe(rejected);
      await expect(rejected).rejects.toBe(error);
      expect(job.isRecording()).toBe(true);
      job.end();
    });

    it("continues a caller's trace given as an extracted context", () => {
      const tracing = start();
      const remote = tracing.extract({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      tracing.withActiveSpan(remote, () => new Worker().step());
      const [step] = exporter.getFinishedSpans();
      expect(step.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(step.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    });

    it('runs fn in the active context when given something that is not a span', () => {
      const tracing = start();
      const diagnostics = captureDiag();
      const result = tracing.withSpan('active', (active) =>
        tracing.withActiveSpan('nonsense' as never, () => tracing.activeSpan() === active),
      );
      diagnostics.restore();
      expect(result).toBe(true);
    });
  });

  describe('setTag, setTags and addEvent', () => {
    it('tag the active span with normalised values and add timestamped events', () => {
      const tracing = start();
      tracing.withSpan('tagged', () => {
        tracing.setTag('user', { id: 1 });
        tracing.setTag('skipped', undefined);
        tracing.setTags({ count: 2n, when: new Date(0), list: ['a'] });
        tracing.addEvent('cache.miss', { key: 'k1' });
      });
      const [span] = exporter.getFinishedSpans();
      expect(span.attributes).toEqual({
        user: '{"id":1}',
        count: '2',
        when: '1970-01-01T00:00:00.000Z',
        list: ['a'],
      });
      expect(span.events.map((e) => [e.name, e.attributes])).toEqual([['cache.miss', { key: 'k1' }]]);
      expect(span.events[0].time[0]).toBeGreaterThan(0);
    });

    it('tag the active span with huge values within the limit', () => {
      const tracing = start();
      tracing.withSpan('huge', () => {
        tracing.setTag('payload', Buffer.alloc(100 * 1024 * 1024));
        tracing.setTags({
          ids: Array.from({ length: 1_000_000 }, (_, i) => i),
          view: new DataView(new ArrayBuffer(2)),
        });
      });
      const [span] = exporter.getFinishedSpans();
      expect(span.attributes['payload']).toMatch(/^<Buffer 104857600 bytes: (00)+\.\.\.>$/);
      expect((span.attributes['payload'] as string).length).toBeLessThanOrEqual(4096);
      expect(span.attributes['ids']).toEqual(Array.from({ length: 128 }, (_, i) => i));
      expect(span.attributes['view']).toBe('<DataView 2 bytes: 0000>');
    });

    it('do nothing without an active span', () => {
      const tracing = start();
      expect(() => {
        tracing.setTag('a', 1);
        tracing.setTags({ b: 2 });
        tracing.addEvent('c');
      }).not.toThrow();
      expect(tracing.activeSpan()).toBeUndefined();
    });
  });

  describe('inject and extract', () => {
    it('use the format from the options by default', () => {
      const tracing = start({ propagation: 'jaeger' });
      const headers: Record<string, unknown> = {};
      tracing.withSpan('client', () => tracing.inject(headers));
      expect(Object.keys(headers)).toEqual(['uber-trace-id']);
      const parent = trace.getSpanContext(tracing.extract(headers));
      expect(parent?.traceId).toBe(exporter.getFinishedSpans()[0].spanContext().traceId);
    });

    it('use OTEL_PROPAGATORS when the options name no format', () => {
      const tracing = startWithPropagators('b3multi');
      const headers: Record<string, unknown> = {};
      tracing.withSpan('client', () => tracing.inject(headers));
      expect(Object.keys(headers).sort()).toEqual(['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid']);
    });

    it('use every format OTEL_PROPAGATORS lists: inject writes all, extract reads any', () => {
      const tracing = startWithPropagators('tracecontext, baggage, jaeger');
      const headers: Record<string, unknown> = {};
      const withBaggage = propagation.setBaggage(
        context.active(),
        propagation.createBaggage({ tenant: { value: 'acme' } }),
      );
      context.with(withBaggage, () => tracing.withSpan('client', () => tracing.inject(headers)));
      expect(Object.keys(headers).sort()).toEqual([
        'baggage',
        'traceparent',
        'uber-trace-id',
        'uberctx-tenant',
      ]);
      const [client] = exporter.getFinishedSpans();
      const jaegerOnly = { 'uber-trace-id': headers['uber-trace-id'] };
      expect(trace.getSpanContext(tracing.extract(jaegerOnly))?.spanId).toBe(client.spanContext().spanId);
    });

    it('propagate nothing by default with OTEL_PROPAGATORS=none, but still in a format named in the call', () => {
      const tracing = startWithPropagators('none');
      const untouched: Record<string, unknown> = {};
      const named: Record<string, unknown> = {};
      tracing.withSpan('client', () => {
        tracing.inject(untouched);
        propagation.inject(context.active(), untouched);
        tracing.inject(named, 'w3c');
      });
      expect(untouched).toEqual({});
      expect(Object.keys(named)).toEqual(['traceparent']);
      expect(trace.getSpanContext(tracing.extract(named))).toBeUndefined();
      expect(trace.getSpanContext(tracing.extract(named, 'w3c'))).toBeDefined();
    });

    it('take an explicit format over the default', () => {
      const tracing = start();
      const headers: Record<string, unknown> = {};
      tracing.withSpan('client', () => tracing.inject(headers, 'b3single'));
      expect(Object.keys(headers)).toEqual(['b3']);
    });

    it('inject the span, span context or context given instead of the active one', () => {
      const tracing = start({ propagation: 'jaeger' });
      const other = tracing.startSpan('other');
      const { traceId, spanId } = other.spanContext();
      const fromSpan: Record<string, unknown> = {};
      const fromSpanContext: Record<string, unknown> = {};
      const fromContext: Record<string, unknown> = {};
      const fromActive: Record<string, unknown> = {};
      tracing.withSpan('active', (active) => {
        tracing.inject(fromSpan, undefined, other);
        tracing.inject(fromSpanContext, 'w3c', other.spanContext());
        tracing.inject(fromContext, 'b3single', trace.setSpan(ROOT_CONTEXT, other));
        tracing.inject(fromActive);
        expect(fromActive['uber-trace-id']).toBe(
          `${active.spanContext().traceId}:${active.spanContext().spanId}:0:1`,
        );
      });
      other.end();
      expect(fromSpan).toEqual({ 'uber-trace-id': `${traceId}:${spanId}:0:1` });
      expect(fromSpanContext).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      expect(fromContext).toEqual({ b3: `${traceId}-${spanId}-1` });
    });

    it('return the active context unchanged for a carrier without context', () => {
      const tracing = start();
      const base = context.active();
      expect(tracing.extract({})).toBe(base);
      expect(tracing.extract(null)).toBe(base);
      expect(tracing.extract('not a carrier')).toBe(base);
    });

    it('survive a carrier whose getters throw', () => {
      const tracing = start();
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('hostile carrier');
          },
          ownKeys() {
            throw new Error('hostile carrier');
          },
        },
      );
      const diagnostics = captureDiag();
      for (const format of ['w3c', 'jaeger', 'b3', 'b3single'] as const) {
        expect(trace.getSpanContext(tracing.extract(hostile, format))).toBeUndefined();
        expect(() => tracing.inject(hostile as Record<string, unknown>, format)).not.toThrow();
      }
      diagnostics.restore();
    });
  });

  describe('forced sampling (debug)', () => {
    const neverSampling: [string, TracingOptions][] = [
      ['const 0', { sampler: { type: 'const', param: 0 } }],
      ['probabilistic 0', { sampler: { type: 'probabilistic', param: 0 } }],
      ['ratelimiting 0', { sampler: { type: 'ratelimiting', param: 0 } }],
      ['parentbased, root const 0', { sampler: { type: 'parentbased', root: { type: 'const', param: 0 } } }],
      [
        'remote, initial ratio 0',
        { sampler: { type: 'remote', param: 0, refreshIntervalMs: 0 } as SamplerConfig },
      ],
    ];

    it.each(neverSampling)(
      'samples a debug trace under a sampler that samples nothing (%s)',
      (_name, options) => {
        const tracing = start(options);
        class Checkout {
          @Traced()
          pay() {
            return tracing.startSpan('receipt').end();
          }
        }
        const debugged = tracing.startSpan('debugged', { debug: true });
        tracing.withSpan('debugged-block', () => new Checkout().pay(), { debug: true });
        tracing.withSpan('plain', () => new Checkout().pay());
        expect(debugged.isRecording()).toBe(true);
        tracing.startSpan('child-of-debugged', {}, debugged).end();
        debugged.end();
        expect(
          exporter
            .getFinishedSpans()
            .map((s) => s.name)
            .sort(),
        ).toEqual(['Checkout.pay', 'child-of-debugged', 'debugged', 'debugged-block', 'receipt']);
      },
    );

    it.each(['always_off', 'parentbased_always_off', 'traceidratio'])(
      'samples a debug trace under OTEL_TRACES_SAMPLER=%s (ratio 0)',
      (sampler) => {
        process.env.OTEL_TRACES_SAMPLER = sampler;
        process.env.OTEL_TRACES_SAMPLER_ARG = '0';
        try {
          start();
        } finally {
          delete process.env.OTEL_TRACES_SAMPLER;
          delete process.env.OTEL_TRACES_SAMPLER_ARG;
        }
        service!.withSpan('debugged', () => service!.startSpan('child').end(), { debug: true });
        service!.startSpan('plain').end();
        expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['child', 'debugged']);
      },
    );

    it('sends the trace on as debug in every format, from the block and from the span given', () => {
      const tracing = start({ sampler: { type: 'const', param: 0 } });
      const formats = ['jaeger', 'b3', 'b3single', 'w3c'] as const;
      const inside: Record<string, Record<string, unknown>> = {};
      const given: Record<string, Record<string, unknown>> = {};
      const span = tracing.startSpan('debugged', { debug: true });
      const { traceId, spanId } = span.spanContext();
      for (const format of formats) {
        inside[format] = {};
        given[format] = {};
        tracing.withActiveSpan(span, () => tracing.inject(inside[format], format));
        tracing.inject(given[format], format, span);
      }
      span.end();
      const expected = {
        jaeger: { 'uber-trace-id': `${traceId}:${spanId}:0:3` },
        b3: { 'x-b3-traceid': traceId, 'x-b3-spanid': spanId, 'x-b3-flags': '1' },
        b3single: { b3: `${traceId}-${spanId}-d` },
        w3c: { traceparent: `00-${traceId}-${spanId}-01` },
      };
      expect(inside).toEqual(expected);
      expect(given).toEqual(expected);
    });

    it('is honoured downstream: a service sampling nothing samples the trace it receives as debug', async () => {
      const upstream = start({ sampler: { type: 'const', param: 0 }, propagation: 'b3single' });
      const headers: Record<string, unknown> = {};
      upstream.withSpan('client', () => upstream.inject(headers), { debug: true });
      const [client] = exporter.getFinishedSpans();
      await upstream.shutdown();

      const downstream = start({ sampler: { type: 'const', param: 0 }, propagation: 'b3single' });
      const onward: Record<string, unknown> = {};
      downstream.withSpan('server', () => downstream.inject(onward), { parent: downstream.extract(headers) });
      const [server] = exporter.getFinishedSpans();
      expect(parentOf(server)).toBe(idOf(client));
      expect(onward.b3).toBe(`${client.spanContext().traceId}-${idOf(server)}-d`);
    });

    it('samples a debug child of an unsampled parent, and its children, from there on', () => {
      const tracing = start({ sampler: { type: 'const', param: 0 } });
      const headers: Record<string, unknown> = {};
      tracing.withSpan('unsampled', () => {
        tracing.withSpan(
          'debugged',
          () => {
            tracing.startSpan('grandchild').end();
            tracing.inject(headers, 'jaeger');
          },
          { debug: true },
        );
      });
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect([...byName.keys()].sort()).toEqual(['debugged', 'grandchild']);
      expect(byName.get('debugged')!.parentSpanContext?.traceFlags).toBe(TraceFlags.NONE);
      expect(headers['uber-trace-id']).toBe(
        `${byName.get('debugged')!.spanContext().traceId}:${idOf(byName.get('debugged')!)}:0:3`,
      );
    });

    it('marks only its own trace: with root, a new trace; new roots started inside are not debug', () => {
      const tracing = start({ sampler: { type: 'const', param: 0 } });
      const outer = tracing.startSpan('outer');
      tracing.withSpan(
        'debug-root',
        () => {
          tracing.startSpan('new-root-inside', { root: true }).end();
          tracing.startSpan('child').end();
        },
        { debug: true, root: true, parent: outer },
      );
      tracing.startSpan('sibling', {}, outer).end();
      outer.end();
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.name).sort()).toEqual(['child', 'debug-root']);
      expect(spans[0].spanContext().traceId).not.toBe(outer.spanContext().traceId);
    });

    it('starts a debug trace for a request carrying only jaeger-debug-id, its root tagged with the id', () => {
      const tracing = start({ sampler: { type: 'const', param: 0 }, propagation: 'jaeger' });
      const onward: Record<string, unknown> = {};
      tracing.withSpan(
        'handle',
        () => {
          tracing.startSpan('child').end();
          tracing.inject(onward);
        },
        { parent: tracing.extract({ 'jaeger-debug-id': 'ticket-4711' }) },
      );
      const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
      expect(byName.get('handle')!.attributes).toEqual({ 'jaeger-debug-id': 'ticket-4711' });
      expect(byName.get('child')!.attributes).toEqual({});
      expect(onward['uber-trace-id']).toMatch(/:0:3$/);
    });

    it('is ignored by a Sampler object of your own, which decides as it does', () => {
      const tracing = start({
        sampler: {
          shouldSample: () => ({ decision: 0 }),
          toString: () => 'NeverSampler',
        },
      });
      tracing.startSpan('debugged', { debug: true }).end();
      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('forceFlush and shutdown', () => {
    it('export batched spans on forceFlush and on shutdown, and shutdown is idempotent', async () => {
      const names: string[] = [];
      const batchedExporter = {
        export: (spans: { name: string }[], done: (r: { code: number }) => void) => {
          names.push(...spans.map((s) => s.name));
          done({ code: 0 });
        },
        shutdown: () => Promise.resolve(),
      };
      const tracing = new TracerService({ exporter: batchedExporter });
      service = tracing;
      tracing.startSpan('one').end();
      expect(names).toEqual([]);
      await tracing.forceFlush();
      expect(names).toEqual(['one']);
      tracing.startSpan('two').end();
      const first = tracing.shutdown();
      expect(tracing.shutdown()).toBe(first);
      await first;
      expect(names).toEqual(['one', 'two']);
    });
  });
});
