/**
 * The conformance suite of @Traced, compiled WITHOUT experimentalDecorators: every decorator here is a
 * TC39 standard decorator (this folder's tsconfig), with the cases that need no parameter decorators.
 */
import { EventEmitter } from 'node:events';
import { SpanKind, SpanStatusCode, trace, TraceFlags, type TracerProvider } from '@opentelemetry/api';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Traced, TracerService } from '@tracery/core';
import { TestTracing } from '@tracery/core/testing';
import { captureDiag } from '../test/support/inMemoryPipeline';

const tracing = TestTracing.install();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterEach(() => tracing.reset());
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await tracing.uninstall();
});

const settleTurn = () => new Promise((resolve) => setImmediate(resolve));
const idOf = (span: { spanContext(): { spanId: string } }) => span.spanContext().spanId;
const parentOf = (span: { parentSpanContext?: { spanId: string } }) => span.parentSpanContext?.spanId;

describe('Traced (standard decorators)', () => {
  describe('when this folder is compiled', () => {
    it('uses TC39 standard decorators, not experimentalDecorators', () => {
      let kind: unknown;
      const probe = (_value: unknown, context: ClassMethodDecoratorContext) => {
        kind = context.kind;
      };
      class Probed {
        @probe
        method() {}
      }
      expect(new Probed()).toBeInstanceOf(Probed);
      expect(kind).toBe('method');
    });
  });

  describe('when the method is sync', () => {
    class Calculator {
      @Traced()
      double(n: number) {
        return n * 2;
      }
    }

    it('stays sync, returns the same value and ends the span before returning', () => {
      expect(new Calculator().double(21)).toBe(42);
      expect(tracing.spanNamed('Calculator.double').status.code).toBe(SpanStatusCode.UNSET);
      tracing.expectNoOpenSpans();
    });
  });

  describe('when the method returns a native promise', () => {
    it('returns the same promise object and ends the span when it settles', async () => {
      let resolve!: (v: string) => void;
      const promise = new Promise<string>((r) => (resolve = r));
      class Pending {
        @Traced()
        wait() {
          return promise;
        }
      }
      const returned = new Pending().wait();
      expect(returned).toBe(promise);
      await settleTurn();
      expect(tracing.spans()).toHaveLength(0);
      resolve('done');
      await expect(returned).resolves.toBe('done');
      expect(tracing.spansNamed('Pending.wait')).toHaveLength(1);
    });

    it('returns the very promise an async method makes and ends the span after it resolves', async () => {
      const made: unknown[] = [];
      /** Below @Traced: sees the promise the async method itself returns. */
      function keepResult<This, Args extends unknown[], R>(
        method: (this: This, ...args: Args) => R,
        _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
      ) {
        return function (this: This, ...args: Args): R {
          const result = method.apply(this, args);
          made.push(result);
          return result;
        };
      }
      class Slow {
        @Traced()
        @keepResult
        async load() {
          await settleTurn();
          return 'loaded';
        }
      }
      const returned = new Slow().load();
      expect(made).toHaveLength(1);
      expect(returned).toBe(made[0]);
      expect(tracing.spans()).toHaveLength(0);
      await expect(returned).resolves.toBe('loaded');
      expect(tracing.spansNamed('Slow.load')).toHaveLength(1);
    });

    it('never calls then on a non-native thenable', () => {
      const then = jest.fn();
      const thenable = { then };
      class Lazy {
        @Traced({ recordResult: true })
        query() {
          return thenable;
        }
      }
      expect(new Lazy().query()).toBe(thenable);
      expect(then).not.toHaveBeenCalled();
      expect(tracing.spanNamed('Lazy.query').attributes['tracery.result']).toBeUndefined();
    });
  });

  describe('when the method throws or rejects', () => {
    class Failing {
      @Traced()
      fail(error: unknown): never {
        throw error;
      }

      @Traced()
      async reject(error: unknown) {
        await settleTurn();
        throw error;
      }

      @Traced({ isError: (error) => !(error instanceof RangeError) })
      expected(error: unknown): never {
        throw error;
      }
    }

    it('rethrows the same error object and records it with status ERROR', () => {
      const error = new TypeError('bad input');
      let caught: unknown;
      try {
        new Failing().fail(error);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(error);
      const span = tracing.spanNamed('Failing.fail');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('rejects with the same reason, records it, and adds no unhandled rejection', async () => {
      unhandled.length = 0;
      const error = new Error('nope');
      await expect(new Failing().reject(error)).rejects.toBe(error);
      await settleTurn();
      await settleTurn();
      expect(tracing.spanNamed('Failing.reject').status.code).toBe(SpanStatusCode.ERROR);
      expect(unhandled).toEqual([]);
    });

    it('keeps status UNSET when isError answers false', () => {
      expect(() => new Failing().expected(new RangeError('out of range'))).toThrow(RangeError);
      const span = tracing.spanNamed('Failing.expected');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });
  });

  describe('when other code inspects the method', () => {
    class Inspected {
      constructor(private readonly factor: number) {}

      @Traced()
      scale(a: number, b: number, c?: number) {
        return (a + b + (c ?? 0)) * this.factor;
      }
    }

    it('calls the original with the same this', () => {
      expect(new Inspected(10).scale(1, 2)).toBe(30);
    });

    it('keeps the function name and length, and is not a constructor', () => {
      const method = Inspected.prototype.scale;
      expect(method.name).toBe('scale');
      expect(method.length).toBe(3);
      expect('prototype' in method).toBe(false);
    });

    it('keeps own properties set on the original function', () => {
      function marked<F extends (...args: never[]) => unknown>(
        value: F,
        _context: ClassMethodDecoratorContext,
      ) {
        (value as unknown as { marker: string }).marker = 'kept';
      }
      class Tagged {
        @Traced()
        @marked
        run() {
          return 1;
        }
      }
      expect((Tagged.prototype.run as unknown as { marker: string }).marker).toBe('kept');
      new Tagged().run();
      expect(tracing.spansNamed('Tagged.run')).toHaveLength(1);
    });
  });

  describe('when stacked with another method decorator', () => {
    const order: string[] = [];
    function logged(label: string) {
      return function <This, A extends unknown[], R>(
        value: (this: This, ...args: A) => R,
        _context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
      ) {
        return function (this: This, ...args: A): R {
          order.push(`${label}:${trace.getActiveSpan() === undefined ? 'outside' : 'inside'}`);
          return value.apply(this, args);
        };
      };
    }
    class Stacked {
      @logged('above')
      @Traced()
      @logged('below')
      run() {
        return 'ran';
      }
    }

    it('works above and below, the span active only below', () => {
      expect(new Stacked().run()).toBe('ran');
      expect(order).toEqual(['above:outside', 'below:inside']);
      expect(tracing.spansNamed('Stacked.run')).toHaveLength(1);
    });
  });

  describe('when naming spans', () => {
    const key = Symbol('secret');
    class Named {
      @Traced()
      static create() {
        return new Named();
      }

      @Traced()
      [key]() {
        return 'symbol';
      }

      @Traced('explicit.name')
      explicit() {
        return 1;
      }

      @Traced({ name: (args) => `named ${String(args[0])}` })
      computed(what: string) {
        return what;
      }

      @Traced()
      inherited() {
        return 'inherited';
      }
    }
    class SubNamed extends Named {}

    it('names an instance method ClassName.method and a static one the same way', () => {
      Named.create();
      new Named().explicit();
      expect(tracing.spans().map((s) => s.name)).toEqual(['Named.create', 'explicit.name']);
    });

    it('names a symbol-keyed method ClassName.[description]', () => {
      new Named()[key]();
      expect(tracing.spans().map((s) => s.name)).toEqual(['Named.[secret]']);
    });

    it('names a span from the arguments when name is a function', () => {
      new Named().computed('x');
      expect(tracing.spans().map((s) => s.name)).toEqual(['named x']);
    });

    it('names a private method ClassName.#name', () => {
      class Vault {
        @Traced()
        #open() {
          return 'opened';
        }
        @Traced()
        static #seal() {
          return 'sealed';
        }
        run() {
          return `${this.#open()} ${Vault.#seal()}`;
        }
      }
      expect(new Vault().run()).toBe('opened sealed');
      expect(tracing.spans().map((s) => s.name)).toEqual(['Vault.#open', 'Vault.#seal']);
    });

    it('names an inherited method after the class that declared it, even when a subclass calls first', () => {
      new SubNamed().inherited();
      new Named().inherited();
      expect(tracing.spans().map((s) => s.name)).toEqual(['Named.inherited', 'Named.inherited']);
    });
  });

  describe('when given span options', () => {
    const link = {
      context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED },
    };
    class Options {
      @Traced({ kind: SpanKind.CLIENT, attributes: { peer: 'db' }, links: [link] })
      client() {
        return 1;
      }

      @Traced({ root: true })
      fresh() {
        return 1;
      }

      @Traced()
      outer() {
        return this.fresh();
      }

      @Traced({ recordResult: (result) => (result as { id: string }).id })
      mapped() {
        return { id: 'r-1' };
      }

      @Traced({ tags: { 'arg.first': 0 } })
      indexed(first: string, _second: string) {
        return first;
      }

      @Traced({ tags: (args) => ({ 'arg.count': args.length, 'arg.user': (args[0] as { id: string }).id }) })
      computed(_user: { id: string }, _extra: number) {
        return 1;
      }

      @Traced({ links: (args) => args[0] as string })
      consume(_traceparent: string) {
        return 1;
      }
    }

    it('uses the kind, static attributes and links', () => {
      new Options().client();
      const span = tracing.spanNamed('Options.client');
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toEqual({ peer: 'db' });
      expect(span.links.map((l) => l.context.spanId)).toEqual(['b'.repeat(16)]);
    });

    it('starts a new trace when root is true', () => {
      new Options().outer();
      expect(tracing.spanNamed('Options.fresh').spanContext().traceId).not.toBe(
        tracing.spanNamed('Options.outer').spanContext().traceId,
      );
    });

    it('records a mapped result', () => {
      new Options().mapped();
      expect(tracing.spanNamed('Options.mapped').attributes['tracery.result']).toBe('r-1');
    });

    it('tags the span from arguments by index or by a function (what @SpanTag does in legacy mode)', () => {
      new Options().indexed('one', 'two');
      new Options().computed({ id: 'u-7' }, 3);
      expect(tracing.spanNamed('Options.indexed').attributes).toEqual({ 'arg.first': 'one' });
      expect(tracing.spanNamed('Options.computed').attributes).toEqual({ 'arg.count': 2, 'arg.user': 'u-7' });
    });

    it('links the span from the arguments', () => {
      new Options().consume(`00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`);
      expect(tracing.spanNamed('Options.consume').links.map((l) => l.context.traceId)).toEqual([
        'c'.repeat(32),
      ]);
    });
  });

  describe('when calls are nested', () => {
    class Worker {
      @Traced()
      async parent(work: () => Promise<void>) {
        await work();
      }

      @Traced()
      child() {
        return 'child';
      }

      @Traced()
      async handle(id: number) {
        await new Promise((resolve) => setTimeout(resolve, id % 7));
        await settleTurn();
        return this.step(id);
      }

      @Traced({ tags: { 'request.id': 0 } })
      async step(id: number) {
        await new Promise((resolve) => setTimeout(resolve, (id * 13) % 5));
        return id;
      }
    }

    it('makes the inner call a child of the outer one across await, timers and event emitters', async () => {
      const worker = new Worker();
      const emitter = new EventEmitter();
      emitter.on('work', () => worker.child());
      await worker.parent(async () => {
        await settleTurn();
        worker.child();
        await new Promise<void>((resolve) => setTimeout(() => (worker.child(), resolve()), 1));
        emitter.emit('work');
      });
      tracing.expectTrace({
        name: 'Worker.parent',
        children: [{ name: 'Worker.child' }, { name: 'Worker.child' }, { name: 'Worker.child' }],
      });
    });

    it('gives each of 1,000 interleaved concurrent calls the right parent', async () => {
      const worker = new Worker();
      const ids = Array.from({ length: 1000 }, (_, i) => i);
      await expect(Promise.all(ids.map((id) => worker.handle(id)))).resolves.toEqual(ids);
      const handles = tracing.spansNamed('Worker.handle');
      const steps = tracing.spansNamed('Worker.step');
      expect(handles).toHaveLength(1000);
      expect(steps).toHaveLength(1000);
      const handleIds = new Set(handles.map(idOf));
      const parents = new Set(steps.map(parentOf));
      expect(parents).toEqual(handleIds);
      tracing.expectNoOpenSpans();
    });
  });

  describe('when the tracing machinery fails', () => {
    class Sturdy {
      @Traced()
      run(n: number) {
        return n + 1;
      }
    }

    it('runs the method normally when getTracer throws, and reports it once', () => {
      const diagnostics = captureDiag();
      const broken: TracerProvider = {
        getTracer() {
          throw new Error('provider exploded');
        },
      };
      trace.disable();
      trace.setGlobalTracerProvider(broken);
      try {
        expect(new Sturdy().run(1)).toBe(2);
        expect(new Sturdy().run(2)).toBe(3);
      } finally {
        trace.disable();
        trace.setGlobalTracerProvider(tracing.provider);
        diagnostics.restore();
      }
      expect(diagnostics.messages.filter((m) => m.includes('Sturdy.run'))).toHaveLength(1);
    });
  });

  describe('when the span itself throws on end, setAttribute, recordException and setStatus', () => {
    it('still returns the result and passes the error on', () => {
      const hostileSpan = {
        isRecording: () => true,
        spanContext: () => ({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 }),
        end() {
          throw new Error('end exploded');
        },
        setAttribute() {
          throw new Error('setAttribute exploded');
        },
        recordException() {
          throw new Error('recordException exploded');
        },
        setStatus() {
          throw new Error('setStatus exploded');
        },
      };
      const broken: TracerProvider = { getTracer: () => ({ startSpan: () => hostileSpan }) as never };
      class Hostile {
        @Traced({ recordResult: true })
        ok() {
          return 'fine';
        }
        @Traced()
        bad() {
          throw new SyntaxError('user error');
        }
      }
      trace.disable();
      trace.setGlobalTracerProvider(broken);
      try {
        expect(new Hostile().ok()).toBe('fine');
        expect(() => new Hostile().bad()).toThrow(SyntaxError);
      } finally {
        trace.disable();
        trace.setGlobalTracerProvider(tracing.provider);
      }
    });
  });

  describe('when no provider is registered', () => {
    it('runs the method untraced, then traces once a provider registers', () => {
      class Early {
        @Traced()
        run() {
          return 'ran';
        }
      }
      trace.disable();
      try {
        expect(new Early().run()).toBe('ran');
      } finally {
        trace.setGlobalTracerProvider(tracing.provider);
      }
      expect(tracing.spans()).toHaveLength(0);
      new Early().run();
      expect(tracing.spansNamed('Early.run')).toHaveLength(1);
    });
  });

  describe('when the span is sampled out', () => {
    it('still makes it the active span and records nothing', async () => {
      const sampledOut = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
      class Quiet {
        @Traced()
        async run() {
          return trace.getActiveSpan()?.isRecording();
        }
      }
      trace.disable();
      trace.setGlobalTracerProvider(sampledOut);
      try {
        await expect(new Quiet().run()).resolves.toBe(false);
      } finally {
        trace.disable();
        trace.setGlobalTracerProvider(tracing.provider);
      }
      expect(tracing.spans()).toHaveLength(0);
    });
  });

  describe('when tracing is disabled', () => {
    it('calls the original method directly while a TracerService with enabled:false lives', async () => {
      class Switched {
        @Traced()
        run() {
          return trace.getActiveSpan();
        }
      }
      const service = new TracerService({ enabled: false, registerGlobal: false });
      try {
        expect(new Switched().run()).toBeUndefined();
      } finally {
        await service.shutdown();
      }
      expect(tracing.spans()).toHaveLength(0);
    });

    it('leaves the method untouched when OTEL_SDK_DISABLED=true at decoration time', () => {
      process.env.OTEL_SDK_DISABLED = 'true';
      try {
        let original: unknown;
        const capture = (value: unknown, _context: ClassMethodDecoratorContext) => {
          original = value;
        };
        class Off {
          @Traced()
          @capture
          static run() {
            return 1;
          }
        }
        class OffMethod {
          @Traced()
          run() {
            return 1;
          }
        }
        expect(Off.run).toBe(original);
        expect(new OffMethod().run()).toBe(1);
        expect(tracing.spans()).toHaveLength(0);
      } finally {
        delete process.env.OTEL_SDK_DISABLED;
      }
    });
  });

  describe('when decorating something that is not a method', () => {
    it('ignores a getter and a field, reporting once', () => {
      // Its typings accept methods and classes only; this is what happens when that is bypassed.
      const loose = Traced() as unknown as (value: unknown, context: DecoratorContext) => void;
      const diagnostics = captureDiag();
      try {
        class Odd {
          @loose
          get value() {
            return 1;
          }
          @loose
          field = 2;
        }
        const odd = new Odd();
        expect(odd.value + odd.field).toBe(3);
        expect(tracing.spans()).toHaveLength(0);
        expect(diagnostics.messages.filter((m) => m.includes('not a method'))).toHaveLength(2);
      } finally {
        diagnostics.restore();
      }
    });
  });
});
