import { AlwaysOnSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';
import { SpanTag, Traced } from '@tracery/core';
import { captureDiag, installInMemoryPipeline, type InMemoryPipeline } from '../support/inMemoryPipeline';

/** Remembers the attributes each span had when the sampler was asked. */
const seenBySampler: Attributes[] = [];
const recordingSampler: Sampler = {
  shouldSample(_context, _traceId, _name, _kind, attributes) {
    seenBySampler.push({ ...attributes });
    return new AlwaysOnSampler().shouldSample();
  },
};
const droppingSampler: Sampler = {
  shouldSample: (_c, _t, _n, _k, attributes) => ({
    decision:
      attributes['tenant'] === 'noisy' ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED,
  }),
};

let pipeline: InMemoryPipeline;
let useDropping = false;
beforeAll(() => {
  pipeline = installInMemoryPipeline({
    sampler: {
      shouldSample: (...args) =>
        useDropping ? droppingSampler.shouldSample(...args) : recordingSampler.shouldSample(...args),
    },
  });
});
afterEach(() => {
  pipeline.reset();
  seenBySampler.length = 0;
  useDropping = false;
});
afterAll(() => pipeline.uninstall());

interface User {
  id: number;
  profile?: { email?: string };
}

class Users {
  @Traced()
  find(@SpanTag('user.id', 'id') user: User, @SpanTag('user.email', 'profile.email') same: User) {
    return same === user;
  }

  @Traced()
  mapped(@SpanTag('user.label', (user: User) => `user-${user.id}`) user: User) {
    return user.id;
  }

  @Traced()
  raw(@SpanTag('value') value: unknown) {
    return value;
  }

  @Traced()
  @SpanTag('result.count', (rows: unknown[]) => rows.length)
  async list() {
    return [1, 2, 3];
  }

  @SpanTag('result.first', (rows: string[]) => rows[0])
  @Traced()
  names() {
    return ['ada', 'bo'];
  }

  @Traced()
  tenant(@SpanTag('tenant') name: string) {
    return name;
  }
}

describe('SpanTag', () => {
  describe('when on a parameter', () => {
    it('tags the span with a dotted path of the argument', () => {
      const user = { id: 7, profile: { email: 'a@b.c' } };
      new Users().find(user, user);
      expect(pipeline.span('Users.find').attributes).toEqual({ 'user.id': 7, 'user.email': 'a@b.c' });
    });

    it('omits the tag when a path goes through undefined', () => {
      const user = { id: 7 };
      new Users().find(user, user);
      expect(pipeline.span('Users.find').attributes).toEqual({ 'user.id': 7 });
    });

    it('tags the span with what a mapper function returns', () => {
      new Users().mapped({ id: 3 });
      expect(pipeline.span('Users.mapped').attributes).toEqual({ 'user.label': 'user-3' });
    });

    it('sets the tags when the span starts, so the sampler sees them', () => {
      new Users().find({ id: 9 }, { id: 9 });
      expect(seenBySampler).toEqual([{ 'user.id': 9 }]);
    });

    it('lets a sampler drop a call by its tags', () => {
      useDropping = true;
      const users = new Users();
      expect(users.tenant('noisy')).toBe('noisy');
      expect(users.tenant('quiet')).toBe('quiet');
      expect(pipeline.spans().map((s) => s.attributes['tenant'])).toEqual(['quiet']);
    });
  });

  describe('when on the method', () => {
    it('tags the span from the resolved value of a promise', async () => {
      await new Users().list();
      await new Promise((resolve) => setImmediate(resolve));
      expect(pipeline.span('Users.list').attributes).toEqual({ 'result.count': 3 });
    });

    it('works placed above @Traced too', () => {
      new Users().names();
      expect(pipeline.span('Users.names').attributes).toEqual({ 'result.first': 'ada' });
    });
  });

  describe('when normalising values', () => {
    const cases: [string, unknown, unknown][] = [
      ['a string', 'text', 'text'],
      ['a number', 4.5, 4.5],
      ['a boolean', false, false],
      ['a bigint', 12345678901234567890n, '12345678901234567890'],
      ['a Date', new Date('2024-02-03T04:05:06.000Z'), '2024-02-03T04:05:06.000Z'],
      ['an array of strings', ['a', 'b'], ['a', 'b']],
      ['an array of numbers', [1, 2], [1, 2]],
      ['a mixed array', [1, 'b'], '[1,"b"]'],
      ['an object', { a: 1, nested: { b: [true] } }, '{"a":1,"nested":{"b":[true]}}'],
    ];
    it.each(cases)('records %s as expected', (_label, value, expected) => {
      new Users().raw(value);
      expect(pipeline.span('Users.raw').attributes['value']).toEqual(expected);
    });

    it.each([
      ['undefined', undefined],
      ['null', null],
    ])('omits %s', (_label, value) => {
      new Users().raw(value);
      expect(pipeline.span('Users.raw').attributes).toEqual({});
    });

    it('writes a cyclic object safely', () => {
      const node: Record<string, unknown> = { name: 'loop' };
      node.self = node;
      new Users().raw(node);
      expect(pipeline.span('Users.raw').attributes['value']).toBe('{"name":"loop","self":"[Circular]"}');
    });

    it('truncates a long value to the default limit of 4096 characters', () => {
      new Users().raw('x'.repeat(10_000));
      expect(pipeline.span('Users.raw').attributes['value']).toBe('x'.repeat(4096));
    });

    it('truncates to OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT when set at decoration time', () => {
      process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '5';
      let Limited: new () => { run(v: unknown): void };
      try {
        class LimitedClass {
          @Traced('limited')
          run(@SpanTag('v') _v: unknown) {}
        }
        Limited = LimitedClass;
      } finally {
        delete process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT;
      }
      new Limited().run('abcdefghij');
      new Limited().run({ long: 'object' });
      expect(pipeline.spans().map((s) => s.attributes['v'])).toEqual(['abcde', '{"lon']);
    });
  });

  describe('when the value is huge', () => {
    const MiB = 1024 * 1024;
    class Uploads {
      @Traced()
      store(@SpanTag('upload.body') _body: unknown) {
        return 'stored';
      }

      @Traced()
      @SpanTag('upload.ids')
      ids(count: number) {
        return Array.from({ length: count }, (_, i) => i);
      }
    }

    it('records a 100 MB Buffer argument as its length and first bytes, within the default limit', () => {
      const body = Buffer.alloc(100 * MiB, 0xab);
      expect(new Uploads().store(body)).toBe('stored');
      const recorded = pipeline.span('Uploads.store').attributes['upload.body'] as string;
      expect(recorded).toMatch(/^<Buffer 104857600 bytes: (ab)+\.\.\.>$/);
      expect(recorded.length).toBeLessThanOrEqual(4096);
    });

    it('records a 100 MB Uint8Array argument the same way', () => {
      new Uploads().store(new Uint8Array(100 * MiB));
      const recorded = pipeline.span('Uploads.store').attributes['upload.body'] as string;
      expect(recorded).toMatch(/^<Uint8Array 104857600 bytes: (00)+\.\.\.>$/);
      expect(recorded.length).toBeLessThanOrEqual(4096);
    });

    it('records the first 128 elements of a million-element argument', () => {
      new Uploads().store(Array.from({ length: 1_000_000 }, (_, i) => `id-${i}`));
      expect(pipeline.span('Uploads.store').attributes['upload.body']).toEqual(
        Array.from({ length: 128 }, (_, i) => `id-${i}`),
      );
    });

    it('records the first 128 elements of a million-element result', () => {
      expect(new Uploads().ids(1_000_000)).toHaveLength(1_000_000);
      expect(pipeline.span('Uploads.ids').attributes['upload.ids']).toEqual(
        Array.from({ length: 128 }, (_, i) => i),
      );
    });
  });

  describe('when reading the value fails', () => {
    class Hostile {
      @Traced()
      withMapper(
        @SpanTag('boom', () => {
          throw new Error('mapper exploded');
        })
        value: number,
        @SpanTag('fine') fine: string,
      ) {
        return value + fine.length;
      }

      @Traced()
      withGetter(@SpanTag('getter', 'secret') value: object) {
        return value !== undefined;
      }

      @Traced()
      withProxy(@SpanTag('proxy') value: object) {
        return typeof value;
      }
    }

    it('skips a tag whose mapper throws, reports it once, and the call proceeds', () => {
      const diagnostics = captureDiag();
      const hostile = new Hostile();
      expect(hostile.withMapper(1, 'ab')).toBe(3);
      expect(hostile.withMapper(2, 'ab')).toBe(4);
      diagnostics.restore();
      expect(pipeline.spans().map((s) => s.attributes)).toEqual([{ fine: 'ab' }, { fine: 'ab' }]);
      const reports = diagnostics.messages.filter((m) => m.includes("'boom'"));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('mapper exploded');
    });

    it('skips a tag whose getter throws', () => {
      const diagnostics = captureDiag();
      const value = {
        get secret(): string {
          throw new Error('getter exploded');
        },
      };
      expect(new Hostile().withGetter(value)).toBe(true);
      diagnostics.restore();
      expect(pipeline.span('Hostile.withGetter').attributes).toEqual({});
      expect(diagnostics.messages.filter((m) => m.includes("'getter'"))).toHaveLength(1);
    });

    it('skips a revoked proxy', () => {
      const diagnostics = captureDiag();
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(new Hostile().withProxy(proxy)).toBe('object');
      expect(new Hostile().withProxy(proxy)).toBe('object');
      diagnostics.restore();
      expect(pipeline.spans().map((s) => s.attributes)).toEqual([{}, {}]);
      expect(diagnostics.messages.filter((m) => m.includes("'proxy'"))).toHaveLength(1);
    });

    it('skips a result tag whose mapper throws and still returns the result', () => {
      class ResultBoom {
        @Traced()
        @SpanTag('bad', () => {
          throw new Error('result mapper exploded');
        })
        run() {
          return 'ok';
        }
      }
      const diagnostics = captureDiag();
      expect(new ResultBoom().run()).toBe('ok');
      diagnostics.restore();
      expect(pipeline.span('ResultBoom.run').attributes).toEqual({});
      expect(diagnostics.messages.join('\n')).toContain('result mapper exploded');
    });
  });

  describe('when the method has no @Traced', () => {
    it('does nothing and the method works', () => {
      class Untraced {
        run(@SpanTag('x') x: number) {
          return x;
        }
      }
      expect(new Untraced().run(1)).toBe(1);
      expect(pipeline.spans()).toHaveLength(0);
    });
  });
});
