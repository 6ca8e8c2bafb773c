import { Traced } from '@tracery/core';
import { captureDiag, installInMemoryPipeline, type InMemoryPipeline } from '../support/inMemoryPipeline';
import { AlwaysOnSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';

const seenBySampler: Attributes[] = [];
const recordingSampler: Sampler = {
  shouldSample(context, traceId, name, kind, attributes, links) {
    seenBySampler.push({ ...attributes });
    void [context, traceId, name, kind, links];
    return new AlwaysOnSampler().shouldSample();
  },
  toString: () => 'recording',
};

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline({ sampler: recordingSampler })));
afterEach(() => {
  pipeline.reset();
  seenBySampler.length = 0;
});
afterAll(() => pipeline.uninstall());

interface Order {
  id: string;
  lines: number[];
}

describe('TracedOptions.tags', () => {
  describe('when it maps tag keys to argument indexes', () => {
    class Orders {
      @Traced({ tags: { 'order.tenant': 0, 'order.lines': 2, 'order.missing': 5 } })
      place(tenant: string, _order: Order, _lines: number[]) {
        return tenant;
      }
    }

    it('tags the span with the normalised arguments, when it starts', () => {
      new Orders().place('acme', { id: 'o-1', lines: [] }, [1, 2]);
      expect(pipeline.spans()[0].attributes).toEqual({ 'order.tenant': 'acme', 'order.lines': [1, 2] });
      expect(seenBySampler).toEqual([{ 'order.tenant': 'acme', 'order.lines': [1, 2] }]);
    });
  });

  describe('when it is a function of the arguments', () => {
    class Orders {
      @Traced({
        attributes: { static: true },
        tags: (args) => {
          const order = args[0] as Order;
          return {
            'order.id': order.id,
            'order.size': order.lines.length,
            'order.when': new Date(0) as never,
          };
        },
      })
      place(order: Order) {
        return order.id;
      }
    }

    it('adds its normalised attributes to the static ones', () => {
      new Orders().place({ id: 'o-2', lines: [1, 2, 3] });
      expect(pipeline.spans()[0].attributes).toEqual({
        static: true,
        'order.id': 'o-2',
        'order.size': 3,
        'order.when': '1970-01-01T00:00:00.000Z',
      });
    });

    it('skips them when the function throws, runs the method, and reports once', () => {
      const diag = captureDiag();
      class Safe {
        @Traced({
          tags: () => {
            throw new Error('tags broke');
          },
        })
        run() {
          return 'ok';
        }
      }
      expect(new Safe().run()).toBe('ok');
      expect(new Safe().run()).toBe('ok');
      expect(pipeline.spans().map((span) => span.attributes)).toEqual([{}, {}]);
      expect(diag.messages.filter((m) => m.includes('Safe.run'))).toHaveLength(1);
      diag.restore();
    });
  });
});

describe('TracedOptions value length limit', () => {
  describe('when OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT is set while the class is decorated', () => {
    it('truncates tags and the recorded result to it, as @SpanTag does, even if it changes later', () => {
      process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '4';
      let Limited: new () => { run(a: string, b: string): string };
      try {
        class LimitedClass {
          @Traced({ tags: { byIndex: 0 }, recordResult: true })
          run(a: string, b: string) {
            return a + b;
          }
        }
        class ComputedClass {
          @Traced({ tags: (args) => ({ computed: String(args[1]) }) })
          run(a: string, b: string) {
            return a + b;
          }
        }
        Limited = LimitedClass;
        new ComputedClass().run('', 'abcdefgh'); // read before the variable changes back
      } finally {
        delete process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT;
      }
      new Limited().run('abcdefgh', 'ijkl');
      const [computed, limited] = pipeline.spans();
      expect(computed.attributes).toEqual({ computed: 'abcd' });
      expect(limited.attributes).toEqual({ byIndex: 'abcd', 'tracery.result': 'abcd' });
    });
  });
});

describe('TracedOptions with huge values', () => {
  const MiB = 1024 * 1024;
  class Media {
    @Traced({ tags: { 'media.bytes': 0, 'media.frames': 1 }, recordResult: true })
    encode(_bytes: Uint8Array, _frames: number[]) {
      return new DataView(new ArrayBuffer(40 * MiB));
    }

    @Traced({ tags: (args) => ({ 'media.raw': args[0] as never }) })
    inspect(_raw: Buffer) {
      return 'seen';
    }
  }

  it('records tags by index and the result within the limit, whatever their size', () => {
    new Media().encode(
      new Uint8Array(40 * MiB),
      Array.from({ length: 1_000_000 }, () => 0.5),
    );
    const { attributes } = pipeline.spans()[0];
    expect(attributes['media.bytes']).toMatch(/^<Uint8Array 41943040 bytes: (00)+\.\.\.>$/);
    expect(attributes['media.frames']).toEqual(new Array(128).fill(0.5));
    expect(attributes['tracery.result']).toMatch(/^<DataView 41943040 bytes: (00)+\.\.\.>$/);
    for (const key of ['media.bytes', 'tracery.result'])
      expect((attributes[key] as string).length).toBeLessThanOrEqual(4096);
  });

  it('normalises what a tags function returns the same way', () => {
    new Media().inspect(Buffer.alloc(40 * MiB, 1));
    const recorded = pipeline.spans()[0].attributes['media.raw'] as string;
    expect(recorded).toMatch(/^<Buffer 41943040 bytes: (01)+\.\.\.>$/);
    expect(recorded.length).toBeLessThanOrEqual(4096);
  });
});
