/** Class-level tracing, generators and exclusions with TC39 standard decorators. */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { EXCLUDE_ENV, GENERATOR_ITEMS_ATTRIBUTE, Traced, Untraced } from '@tracery/core';
import { TestTracing } from '@tracery/core/testing';

const tracing = TestTracing.install();
afterEach(() => {
  tracing.reset();
  delete process.env[EXCLUDE_ENV];
});
afterAll(() => tracing.uninstall());

const names = () => tracing.spans().map((span) => span.name);
const settleTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('Traced on a class (standard decorators)', () => {
  describe('when the class has methods, accessors and static methods', () => {
    @Traced()
    class Inventory {
      private count = 0;
      add(n: number) {
        this.count += n;
        return this.helper();
      }
      helper() {
        return this.count;
      }
      get size() {
        return this.count;
      }
      static create() {
        return new Inventory();
      }
    }

    it('traces the prototype methods only, nested as parent and child', () => {
      const inventory = Inventory.create();
      expect(inventory.add(2)).toBe(2);
      expect(inventory.size).toBe(2);
      tracing.expectTrace({ name: 'Inventory.add', children: [{ name: 'Inventory.helper' }] });
      expect(names()).toEqual(['Inventory.helper', 'Inventory.add']);
    });
  });

  describe('when static methods are asked for, one method is @Untraced and one has its own @Traced', () => {
    @Traced({ static: true, attributes: { from: 'class' } })
    class Service {
      static start() {
        return 'started';
      }
      @Untraced()
      health() {
        return 'ok';
      }
      @Traced({ name: 'service.own', attributes: { from: 'method' } })
      own() {
        return 'own';
      }
    }

    it('traces the static method, skips the untraced one, and lets the method options win', () => {
      expect(Service.start()).toBe('started');
      expect(new Service().health()).toBe('ok');
      expect(new Service().own()).toBe('own');
      expect(names()).toEqual(['Service.start', 'service.own']);
      expect(tracing.spanNamed('service.own').attributes).toEqual({ from: 'method' });
      expect(tracing.spanNamed('Service.start').attributes).toEqual({ from: 'class' });
    });
  });

  describe('when TRACERY_EXCLUDE names the class', () => {
    @Traced()
    class Chatty {
      talk() {
        return 'bla';
      }
    }
    class Partly {
      @Traced()
      kept() {
        return 1;
      }
      @Traced()
      dropped() {
        return 2;
      }
    }

    it('runs the excluded methods untraced', () => {
      process.env[EXCLUDE_ENV] = 'Chatty.*,Partly.dropped';
      expect(new Chatty().talk()).toBe('bla');
      expect(new Partly().kept() + new Partly().dropped()).toBe(3);
      expect(names()).toEqual(['Partly.kept']);
    });
  });
});

describe('Traced on a generator method (standard decorators)', () => {
  class Pager {
    @Traced()
    *rows(count: number) {
      for (let i = 0; i < count; i++) yield trace.getActiveSpan()?.spanContext().spanId;
    }

    @Traced()
    async *pages(count: number) {
      for (let i = 0; i < count; i++) {
        await settleTurn();
        yield trace.getActiveSpan()?.spanContext().spanId;
      }
    }

    @Traced()
    async *broken() {
      yield 1;
      throw new Error('broken page');
    }
  }

  it('covers a sync iteration, with the span active in the body', () => {
    const ids = [...new Pager().rows(2)];
    const span = tracing.spanNamed('Pager.rows');
    expect(ids).toEqual([span.spanContext().spanId, span.spanContext().spanId]);
    expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(2);
  });

  it('covers an async iteration, ends on break, and records a failure', async () => {
    const ids: (string | undefined)[] = [];
    for await (const id of new Pager().pages(5)) {
      ids.push(id);
      if (ids.length === 2) break;
    }
    const span = tracing.spanNamed('Pager.pages');
    expect(ids).toEqual([span.spanContext().spanId, span.spanContext().spanId]);
    expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(2);
    const consume = async () => {
      for await (const _ of new Pager().broken()) void _;
    };
    await expect(consume()).rejects.toThrow('broken page');
    expect(tracing.spanNamed('Pager.broken').status.code).toBe(SpanStatusCode.ERROR);
    tracing.expectNoOpenSpans();
  });
});
