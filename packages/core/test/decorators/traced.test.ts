import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Link,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { suppressTracing } from '@opentelemetry/core';
import { Container, inject, injectable, postConstruct } from 'inversify';
import { SpanTag, Traced, TracerService } from '@tracery/core';
import {
  captureDiag,
  idOf,
  installInMemoryPipeline,
  parentOf,
  type InMemoryPipeline,
} from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => {
  pipeline = installInMemoryPipeline();
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => pipeline.reset());
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await pipeline.uninstall();
});

/** Lets pending promise jobs and the unhandled-rejection check of this turn run. */
const settleTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('Traced', () => {
  describe('when the method is sync', () => {
    class Calculator {
      @Traced()
      double(n: number) {
        return n * 2;
      }
    }

    it('stays sync and returns the same value', () => {
      const result = new Calculator().double(21);
      expect(result).toBe(42);
      expect(pipeline.span('Calculator.double').status.code).toBe(SpanStatusCode.UNSET);
    });

    it('returns the very same object', () => {
      const value = { big: true };
      class Identity {
        @Traced()
        same<T>(v: T) {
          return v;
        }
      }
      expect(new Identity().same(value)).toBe(value);
    });

    it('ends the span before returning', () => {
      new Calculator().double(1);
      expect(pipeline.spans()).toHaveLength(1);
    });
  });

  describe('when the method returns a native promise', () => {
    it('returns the same promise object from a non-async method and ends the span when it settles', async () => {
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
      expect(pipeline.spans()).toHaveLength(0);
      resolve('done');
      await expect(returned).resolves.toBe('done');
      await settleTurn();
      expect(pipeline.span('Pending.wait').status.code).toBe(SpanStatusCode.UNSET);
    });

    it('returns the promise of an async method as is and ends the span after it resolves', async () => {
      const made: unknown[] = [];
      /** Below @Traced: sees the promise the async method itself returns. */
      const keepResult: MethodDecorator = (_target, _key, descriptor) => {
        const inner = descriptor.value as unknown as (...args: unknown[]) => unknown;
        (descriptor as PropertyDescriptor).value = function (this: unknown, ...args: unknown[]) {
          const result = inner.apply(this, args);
          made.push(result);
          return result;
        };
        return descriptor;
      };
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
      expect(pipeline.spans()).toHaveLength(0);
      await expect(returned).resolves.toBe('loaded');
      await settleTurn();
      expect(pipeline.spans().map((s) => s.name)).toEqual(['Slow.load']);
    });
  });

  describe('when the method returns a non-native thenable', () => {
    it('never calls its then and ends the span when the method returns', () => {
      const then = jest.fn();
      const thenable = { then };
      class Lazy {
        @Traced({ recordResult: true })
        @SpanTag('lazy.result')
        query() {
          return thenable;
        }
      }
      expect(new Lazy().query()).toBe(thenable);
      expect(then).not.toHaveBeenCalled();
      const span = pipeline.span('Lazy.query');
      expect(span.attributes['lazy.result']).toBeUndefined();
      expect(span.attributes['tracery.result']).toBeUndefined();
    });

    it('does not call then on a promise subclass either', async () => {
      const calls: string[] = [];
      class CountingPromise<T> extends Promise<T> {
        override then<A = T, B = never>(
          onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
          onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
        ): Promise<A | B> {
          calls.push('then');
          return super.then(onFulfilled, onRejected);
        }
      }
      const subclassed = new CountingPromise<number>((resolve) => resolve(1));
      class Sub {
        @Traced()
        run() {
          return subclassed;
        }
      }
      expect(new Sub().run()).toBe(subclassed);
      expect(calls).toEqual([]);
      expect(pipeline.spans()).toHaveLength(1);
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

      @Traced({
        isError: () => {
          throw new Error('broken predicate');
        },
      })
      brokenPredicate(error: unknown): never {
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
      const span = pipeline.span('Failing.fail');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
      expect(span.events[0].attributes?.['exception.type']).toBe('TypeError');
      expect(span.events[0].attributes?.['exception.message']).toBe('bad input');
    });

    it('rejects with the same reason and records it', async () => {
      const error = new Error('nope');
      await expect(new Failing().reject(error)).rejects.toBe(error);
      await settleTurn();
      const span = pipeline.span('Failing.reject');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events[0].attributes?.['exception.message']).toBe('nope');
    });

    it.each([
      ['a string', 'plain string'],
      ['a number', 42],
      ['undefined', undefined],
      ['null', null],
      ['an object with a message', { message: 'custom' }],
    ])('rethrows %s unchanged and still ends the span', (_label, thrown) => {
      let caught: unknown = 'not thrown';
      try {
        new Failing().fail(thrown);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(thrown);
      expect(pipeline.span('Failing.fail').status.code).toBe(SpanStatusCode.ERROR);
    });

    it('keeps status UNSET but records the exception event when isError answers false', () => {
      expect(() => new Failing().expected(new RangeError('out of range'))).toThrow(RangeError);
      const span = pipeline.span('Failing.expected');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('sets ERROR when isError answers true', () => {
      expect(() => new Failing().expected(new Error('real'))).toThrow('real');
      expect(pipeline.span('Failing.expected').status.code).toBe(SpanStatusCode.ERROR);
    });

    it('counts the error as an error when isError itself throws', () => {
      const error = new Error('original');
      expect(() => new Failing().brokenPredicate(error)).toThrow(error);
      expect(pipeline.span('Failing.brokenPredicate').status.code).toBe(SpanStatusCode.ERROR);
    });

    it('adds no unhandled rejection when the caller handles the rejection', async () => {
      unhandled.length = 0;
      const rejections = Array.from({ length: 20 }, (_, i) => new Failing().reject(new Error(`r${i}`)));
      await Promise.allSettled(rejections);
      await settleTurn();
      await settleTurn();
      expect(unhandled).toEqual([]);
    });

    it('adds no unhandled rejection for a rejected promise returned by a non-async method', async () => {
      unhandled.length = 0;
      const error = new Error('already rejected');
      class Eager {
        @Traced()
        run() {
          return Promise.reject(error);
        }
      }
      const returned = new Eager().run();
      await expect(returned).rejects.toBe(error);
      await settleTurn();
      await settleTurn();
      expect(unhandled).toEqual([]);
      expect(pipeline.span('Eager.run').status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  describe('when other code inspects the method', () => {
    const methodKey = Symbol('metadata-key');

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

    it('keeps the function name and length', () => {
      const method = Inspected.prototype.scale;
      expect(method.name).toBe('scale');
      expect(method.length).toBe(3);
    });

    it('keeps reflect metadata and own properties set on the original function', () => {
      function tagFunction(): MethodDecorator {
        return (_target, _key, descriptor) => {
          Reflect.defineMetadata(methodKey, 'on-the-function', descriptor.value as object);
          (descriptor.value as unknown as { marker: string }).marker = 'kept';
        };
      }
      class Tagged {
        @Traced()
        @tagFunction()
        run() {
          return 1;
        }
      }
      expect(Reflect.getMetadata(methodKey, Tagged.prototype.run)).toBe('on-the-function');
      expect((Tagged.prototype.run as unknown as { marker: string }).marker).toBe('kept');
    });

    it('keeps design-time metadata of the method', () => {
      class Typed {
        @Traced()
        run(_name: string, _count: number): boolean {
          return true;
        }
      }
      expect(Reflect.getMetadata('design:paramtypes', Typed.prototype, 'run')).toEqual([String, Number]);
      expect(Reflect.getMetadata('design:returntype', Typed.prototype, 'run')).toBe(Boolean);
    });

    it('is not a constructor, like the method it replaces', () => {
      expect('prototype' in Inspected.prototype.scale).toBe(false);
    });
  });

  describe('when stacked with other decorators', () => {
    const order: string[] = [];
    function logged(label: string): MethodDecorator {
      return (_target, _key, descriptor) => {
        const inner = descriptor.value as unknown as (...args: unknown[]) => unknown;
        (descriptor as PropertyDescriptor).value = function (this: unknown, ...args: unknown[]) {
          order.push(`${label}:${trace.getActiveSpan() === undefined ? 'outside' : 'inside'}`);
          return inner.apply(this, args);
        };
        return descriptor;
      };
    }

    const GREETING = Symbol('greeting');

    @injectable()
    class Greeter {
      ready = false;
      constructor(@inject(GREETING) private readonly greeting: string) {}

      @postConstruct()
      @Traced()
      init() {
        this.ready = true;
      }

      @Traced()
      @logged('below')
      greet(name: string) {
        return `${this.greeting}, ${name}`;
      }

      @logged('above')
      @Traced()
      shout(name: string) {
        return this.greet(name).toUpperCase();
      }
    }

    @injectable()
    class ReversedOrder {
      ready = false;

      @Traced()
      @postConstruct()
      init() {
        this.ready = true;
      }
    }

    it('works with inversify constructor injection and @postConstruct, either order', async () => {
      const container = new Container();
      container.bind(GREETING).toConstantValue('Hello');
      container.bind(Greeter).toSelf();
      container.bind(ReversedOrder).toSelf();
      const greeter = container.get(Greeter);
      const reversed = container.get(ReversedOrder);
      expect(greeter.ready).toBe(true);
      expect(reversed.ready).toBe(true);
      expect(greeter.greet('Ada')).toBe('Hello, Ada');
      expect(pipeline.spans().map((s) => s.name)).toEqual([
        'Greeter.init',
        'ReversedOrder.init',
        'Greeter.greet',
      ]);
    });

    it('works with another method decorator above or below', () => {
      order.length = 0;
      const greeter = new Greeter('Hi');
      expect(greeter.shout('bo')).toBe('HI, BO');
      // "above" wraps @Traced (runs before the span), "below" is wrapped by it (runs inside the span).
      expect(order).toEqual(['above:outside', 'below:inside']);
      const shout = pipeline.span('Greeter.shout');
      expect(parentOf(pipeline.span('Greeter.greet'))).toBe(idOf(shout));
    });
  });

  describe('when naming spans', () => {
    const secret = Symbol('secretMethod');

    class Named {
      @Traced()
      static create() {
        return new Named();
      }

      @Traced()
      [secret]() {
        return 'hidden';
      }

      @Traced('custom-name')
      renamed() {
        return 1;
      }

      @Traced({ name: 'from-options' })
      optioned() {
        return 1;
      }
    }

    it('names a static method ClassName.method', () => {
      Named.create();
      expect(pipeline.spans()[0].name).toBe('Named.create');
    });

    it('names a symbol-keyed method ClassName.[description]', () => {
      new Named()[secret]();
      expect(pipeline.spans()[0].name).toBe('Named.[secretMethod]');
    });

    it('takes a name given as a string or in the options', () => {
      const named = new Named();
      named.renamed();
      named.optioned();
      expect(pipeline.spans().map((s) => s.name)).toEqual(['custom-name', 'from-options']);
    });
  });

  describe('when given span options', () => {
    it('uses kind INTERNAL by default and the given kind otherwise', () => {
      class Kinds {
        @Traced()
        internal() {}
        @Traced({ kind: SpanKind.CLIENT })
        client() {}
      }
      new Kinds().internal();
      new Kinds().client();
      expect(pipeline.span('Kinds.internal').kind).toBe(SpanKind.INTERNAL);
      expect(pipeline.span('Kinds.client').kind).toBe(SpanKind.CLIENT);
    });

    it('sets static attributes on every span', () => {
      class Static {
        @Traced({ attributes: { component: 'billing', retries: 3 } })
        run() {}
      }
      new Static().run();
      new Static().run();
      for (const span of pipeline.spans())
        expect(span.attributes).toMatchObject({ component: 'billing', retries: 3 });
    });

    it('adds the given links', () => {
      const linked = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
      const links: Link[] = [{ context: linked, attributes: { reason: 'batch' } }];
      class Linked {
        @Traced({ links })
        run() {}
      }
      new Linked().run();
      const span = pipeline.span('Linked.run');
      expect(span.links).toHaveLength(1);
      expect(span.links[0].context.spanId).toBe('b'.repeat(16));
      expect(span.links[0].attributes).toEqual({ reason: 'batch' });
    });

    it('starts a new trace when root is true', () => {
      class Rooted {
        @Traced({ root: true })
        detached() {}
        @Traced()
        outer() {
          this.detached();
        }
      }
      new Rooted().outer();
      const outer = pipeline.span('Rooted.outer');
      const detached = pipeline.span('Rooted.detached');
      expect(parentOf(detached)).toBeUndefined();
      expect(detached.spanContext().traceId).not.toBe(outer.spanContext().traceId);
    });

    it('records nothing about the result by default', () => {
      class Quiet {
        @Traced()
        run() {
          return 'secret-ish';
        }
      }
      new Quiet().run();
      expect(pipeline.span('Quiet.run').attributes).toEqual({});
    });

    it('records the result, or the resolved value, when recordResult is true', async () => {
      class Results {
        @Traced({ recordResult: true })
        sync() {
          return { id: 7 };
        }
        @Traced({ recordResult: true })
        async later() {
          return 12;
        }
      }
      new Results().sync();
      await new Results().later();
      await settleTurn();
      expect(pipeline.span('Results.sync').attributes['tracery.result']).toBe('{"id":7}');
      expect(pipeline.span('Results.later').attributes['tracery.result']).toBe(12);
    });

    it('records a mapped result when recordResult is a function', () => {
      class Mapped {
        @Traced({ recordResult: (rows: unknown) => (rows as unknown[]).length })
        list() {
          return ['a', 'b', 'c'];
        }
      }
      new Mapped().list();
      expect(pipeline.span('Mapped.list').attributes['tracery.result']).toBe(3);
    });
  });

  describe('when calls are nested', () => {
    class Worker {
      @Traced()
      async parent(child: () => Promise<void>) {
        await child();
      }

      @Traced()
      child() {
        return 'child';
      }
    }

    it('makes the inner call a child of the outer one across await', async () => {
      const worker = new Worker();
      await worker.parent(async () => {
        await settleTurn();
        worker.child();
      });
      expect(parentOf(pipeline.span('Worker.child'))).toBe(idOf(pipeline.span('Worker.parent')));
    });

    it('keeps the parent across timers', async () => {
      const worker = new Worker();
      await worker.parent(
        () => new Promise<void>((resolve) => setTimeout(() => (worker.child(), resolve()), 1)),
      );
      expect(parentOf(pipeline.span('Worker.child'))).toBe(idOf(pipeline.span('Worker.parent')));
    });

    it('keeps the parent across event emitters', async () => {
      const worker = new Worker();
      const emitter = new EventEmitter();
      emitter.on('work', () => worker.child());
      await worker.parent(async () => {
        await settleTurn();
        emitter.emit('work');
      });
      expect(parentOf(pipeline.span('Worker.child'))).toBe(idOf(pipeline.span('Worker.parent')));
    });

    it('keeps the parent for listeners of a stream that emits on later ticks', async () => {
      const worker = new Worker();
      const seen: string[] = [];
      await worker.parent(
        () =>
          new Promise<void>((resolve, reject) => {
            const stream = Readable.from(['a', 'b']);
            stream.on('data', (chunk: string) => {
              seen.push(chunk);
              worker.child();
            });
            stream.on('end', resolve);
            stream.on('error', reject);
          }),
      );
      const parent = idOf(pipeline.span('Worker.parent'));
      const children = pipeline.spans().filter((s) => s.name === 'Worker.child');
      expect(seen).toEqual(['a', 'b']);
      expect(children.map(parentOf)).toEqual([parent, parent]);
    });

    it('gives each of 1,000 interleaved concurrent calls the right parent', async () => {
      class Request {
        @Traced()
        async handle(@SpanTag('request.id') id: number) {
          await new Promise((resolve) => setTimeout(resolve, id % 7));
          await this.step(id);
          await settleTurn();
          return this.step(id);
        }

        @Traced()
        async step(@SpanTag('request.id') id: number) {
          await new Promise((resolve) => setTimeout(resolve, (id * 13) % 5));
          return id;
        }
      }
      const request = new Request();
      const ids = Array.from({ length: 1000 }, (_, i) => i);
      await expect(Promise.all(ids.map((id) => request.handle(id)))).resolves.toEqual(ids);
      const spans = pipeline.spans();
      expect(spans).toHaveLength(3000);
      const handles = new Map(
        spans.filter((s) => s.name === 'Request.handle').map((s) => [s.attributes['request.id'], s]),
      );
      const steps = spans.filter((s) => s.name === 'Request.step');
      expect(handles.size).toBe(1000);
      expect(steps).toHaveLength(2000);
      for (const step of steps) {
        const parent = handles.get(step.attributes['request.id'])!;
        expect(parentOf(step)).toBe(idOf(parent));
        expect(step.spanContext().traceId).toBe(parent.spanContext().traceId);
      }
      expect(new Set([...handles.values()].map((s) => s.spanContext().traceId)).size).toBe(1000);
    });
  });

  describe('when the tracing machinery fails', () => {
    class Sturdy {
      @Traced()
      run(n: number) {
        return n + 1;
      }

      @Traced()
      async later(n: number) {
        return n + 1;
      }
    }

    async function withBrokenProvider(provider: TracerProvider, body: () => Promise<void> | void) {
      trace.disable();
      trace.setGlobalTracerProvider(provider);
      try {
        await body();
      } finally {
        trace.disable();
        trace.setGlobalTracerProvider(pipeline.provider);
      }
    }

    it('runs the method normally when getTracer throws, and reports it once', async () => {
      const diagnostics = captureDiag();
      const broken: TracerProvider = {
        getTracer() {
          throw new Error('provider exploded');
        },
      };
      await withBrokenProvider(broken, async () => {
        expect(new Sturdy().run(1)).toBe(2);
        expect(new Sturdy().run(2)).toBe(3);
        await expect(new Sturdy().later(1)).resolves.toBe(2);
      });
      diagnostics.restore();
      expect(diagnostics.messages.filter((m) => m.includes('Sturdy.run'))).toHaveLength(1);
      expect(diagnostics.messages.join('\n')).toContain('provider exploded');
    });

    it('runs the method normally when startSpan throws', async () => {
      const broken: TracerProvider = {
        getTracer: () =>
          ({
            startSpan() {
              throw new Error('startSpan exploded');
            },
          }) as never,
      };
      await withBrokenProvider(broken, () => {
        expect(new Sturdy().run(5)).toBe(6);
      });
    });

    it('returns the result when the span itself throws on end and on setStatus', async () => {
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
      await withBrokenProvider(broken, () => {
        expect(new Hostile().ok()).toBe('fine');
        expect(() => new Hostile().bad()).toThrow(SyntaxError);
      });
    });
  });

  describe('when the span is sampled out', () => {
    it('still makes it the active span, returns the same promise and records nothing', async () => {
      const exporter = new InMemorySpanExporter();
      const sampledOut = new BasicTracerProvider({
        sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      class Quiet {
        @Traced()
        outer(promise: Promise<string>) {
          const active = trace.getActiveSpan();
          this.inner();
          return { active, promise: this.passThrough(promise) };
        }
        @Traced()
        inner() {}
        @Traced()
        passThrough(promise: Promise<string>) {
          return promise;
        }
      }
      trace.disable();
      trace.setGlobalTracerProvider(sampledOut);
      try {
        const promise = Promise.resolve('x');
        const result = new Quiet().outer(promise);
        expect(result.promise).toBe(promise);
        expect(result.active?.isRecording()).toBe(false);
        expect(result.active?.spanContext().traceFlags).toBe(TraceFlags.NONE);
        await result.promise;
      } finally {
        trace.disable();
        trace.setGlobalTracerProvider(pipeline.provider);
      }
      expect(exporter.getFinishedSpans()).toHaveLength(0);
    });
  });

  describe('when tracing is disabled', () => {
    it('calls the original method directly while a TracerService with enabled:false lives', async () => {
      class Plain {
        @Traced()
        run(this: unknown, a: number) {
          return { self: this, active: trace.getActiveSpan(), a };
        }
      }
      const service = new TracerService({ enabled: false });
      const instance = new Plain();
      const result = instance.run(3);
      await service.shutdown();
      expect(result).toEqual({ self: instance, active: undefined, a: 3 });
      expect(pipeline.spans()).toHaveLength(0);
      instance.run(4);
      expect(pipeline.spans()).toHaveLength(1); // back on once that service is shut down
    });

    it('has the class hold the original method while disabled (calls skip the wrapper), the traced one again after', async () => {
      class Orders {
        @Traced()
        place() {
          return trace.getActiveSpan() === undefined ? 'untraced' : 'traced';
        }

        @Traced()
        static count() {
          return trace.getActiveSpan() === undefined ? 'untraced' : 'traced';
        }
      }
      @Traced()
      class Stock {
        reserve() {
          return trace.getActiveSpan() === undefined ? 'untraced' : 'traced';
        }
      }
      const traced = {
        place: Orders.prototype.place,
        count: Orders.count,
        reserve: Stock.prototype.reserve,
      };
      const service = new TracerService({ enabled: false });
      const whileDisabled = [new Orders().place(), Orders.count(), new Stock().reserve()];
      const held = { place: Orders.prototype.place, count: Orders.count, reserve: Stock.prototype.reserve };
      const secondCalls = [new Orders().place(), Orders.count(), new Stock().reserve()];
      await service.shutdown();
      expect([...whileDisabled, ...secondCalls]).toEqual(Array(6).fill('untraced'));
      expect(held.place).not.toBe(traced.place);
      expect(held.count).not.toBe(traced.count);
      expect(held.reserve).not.toBe(traced.reserve);
      expect({
        place: Orders.prototype.place,
        count: Orders.count,
        reserve: Stock.prototype.reserve,
      }).toEqual(traced);
      expect([new Orders().place(), Orders.count(), new Stock().reserve()]).toEqual(Array(3).fill('traced'));
      expect(pipeline.spans().map((s) => s.name)).toEqual(['Orders.place', 'Orders.count', 'Stock.reserve']);
    });

    it('keeps a method wrapped by another decorator as it is, and untraced while disabled', async () => {
      const wrapOnce =
        () =>
        (_target: object, _key: string, descriptor: PropertyDescriptor): PropertyDescriptor => {
          const inner = descriptor.value as (...args: unknown[]) => unknown;
          return {
            ...descriptor,
            value: function outer(this: unknown, ...args: unknown[]) {
              return `outer(${String(inner.apply(this, args))})`;
            },
          };
        };
      class Wrapped {
        @wrapOnce()
        @Traced()
        run() {
          return trace.getActiveSpan() === undefined ? 'untraced' : 'traced';
        }
      }
      const outer = Wrapped.prototype.run;
      const service = new TracerService({ enabled: false });
      const whileDisabled = new Wrapped().run();
      const held = Wrapped.prototype.run;
      await service.shutdown();
      expect({ whileDisabled, same: held === outer }).toEqual({
        whileDisabled: 'outer(untraced)',
        same: true,
      });
      expect(new Wrapped().run()).toBe('outer(traced)');
    });

    it('stays off until the last of several enabled:false services is shut down', async () => {
      class Plain {
        @Traced()
        run() {
          return trace.getActiveSpan() === undefined ? 'untraced' : 'traced';
        }
      }
      const first = new TracerService({ enabled: false });
      const second = new TracerService({ enabled: false });
      await first.shutdown();
      const whileSecondLives = new Plain().run();
      await second.shutdown();
      expect(whileSecondLives).toBe('untraced');
      expect(new Plain().run()).toBe('traced');
      expect(pipeline.spans().map((s) => s.name)).toEqual(['Plain.run']);
    });

    it('leaves the method untouched when OTEL_SDK_DISABLED=true at decoration time', () => {
      process.env.OTEL_SDK_DISABLED = 'TRUE';
      const original = function run() {
        return 'untouched';
      };
      const descriptor: PropertyDescriptor = { value: original, writable: true, configurable: true };
      try {
        Traced()({}, 'run', descriptor);
      } finally {
        delete process.env.OTEL_SDK_DISABLED;
      }
      expect(descriptor.value).toBe(original);
    });
  });

  describe('when no provider is registered', () => {
    it('runs the method and records nothing, then traces once a provider registers', () => {
      class Early {
        @Traced()
        run() {
          return trace.getActiveSpan()?.isRecording() ?? false;
        }
      }
      trace.disable();
      try {
        expect(new Early().run()).toBe(false);
      } finally {
        trace.setGlobalTracerProvider(pipeline.provider);
      }
      expect(new Early().run()).toBe(true);
      expect(pipeline.spans().map((s) => s.name)).toEqual(['Early.run']);
    });

    it('works out no tag for the span that cannot record, and does once a provider registers', () => {
      const mapped: string[] = [];
      class Tagged {
        @Traced()
        @SpanTag('result.size', (result: string) => (mapped.push('result'), result.length))
        run(@SpanTag('order.id', (id: string) => (mapped.push('argument'), id)) id: string) {
          return `order ${id}`;
        }
      }
      trace.disable();
      try {
        expect(new Tagged().run('o-1')).toBe('order o-1');
        expect(mapped).toEqual([]);
      } finally {
        trace.setGlobalTracerProvider(pipeline.provider);
      }
      new Tagged().run('o-2');
      expect(mapped).toEqual(['argument', 'result']);
      expect(pipeline.span('Tagged.run').attributes).toMatchObject({ 'order.id': 'o-2', 'result.size': 9 });
    });
  });

  describe('when tracing is suppressed (an exporter sending, say)', () => {
    it('works out no tag from the arguments, and records nothing', () => {
      const mapped: string[] = [];
      class Send {
        @Traced()
        run(@SpanTag('body', (body: string) => (mapped.push(body), body)) body: string) {
          return body.length;
        }
      }
      expect(context.with(suppressTracing(context.active()), () => new Send().run('payload'))).toBe(7);
      expect(mapped).toEqual([]);
      expect(pipeline.spans()).toEqual([]);
    });
  });

  describe('when decorating something that is not a method', () => {
    it('leaves it as it is', () => {
      const descriptor: PropertyDescriptor = { get: () => 1, configurable: true };
      expect(Traced()({}, 'getter', descriptor)).toBe(descriptor);
      expect(descriptor.get!()).toBe(1);
    });

    it('does not throw on a field (no descriptor)', () => {
      const asFieldDecorator = Traced() as unknown as (target: object, key: string) => unknown;
      expect(() => asFieldDecorator({}, 'field')).not.toThrow();
    });
  });

  it('leaves no active span behind', () => {
    class Leaves {
      @Traced()
      run() {}
    }
    new Leaves().run();
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
