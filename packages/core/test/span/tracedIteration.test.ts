import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { buildSync } from 'esbuild';
import { GENERATOR_ABANDONED_ATTRIBUTE, GENERATOR_ITEMS_ATTRIBUTE, Traced } from '@tracery/core';
import { REPO_ROOT } from '../support/buildCore';
import { idOf, installInMemoryPipeline, parentOf, type InMemoryPipeline } from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline()));
afterEach(() => pipeline.reset());
afterAll(() => pipeline.uninstall());

const settleTurn = () => new Promise((resolve) => setImmediate(resolve));
const activeSpanId = () => trace.getActiveSpan()?.spanContext().spanId;

class Source {
  seen: (string | undefined)[] = [];

  @Traced()
  *numbers(count: number) {
    for (let i = 0; i < count; i++) {
      this.seen.push(activeSpanId());
      const received: unknown = yield i;
      if (received === 'child') this.child();
    }
    return 'finished';
  }

  @Traced()
  *guarded() {
    try {
      yield 1;
      yield 2;
    } finally {
      this.seen.push(`cleanup in ${activeSpanId()}`);
    }
  }

  @Traced()
  *recovering() {
    try {
      yield 1;
    } catch {
      yield 'recovered';
    }
  }

  @Traced()
  async *pages(count: number) {
    for (let i = 0; i < count; i++) {
      await settleTurn();
      this.seen.push(activeSpanId());
      this.child();
      yield [i];
    }
  }

  @Traced()
  async *failing() {
    yield 1;
    await settleTurn();
    throw new Error('page failed');
  }

  @Traced()
  child() {
    return 'child';
  }
}

describe('Traced on a generator method', () => {
  describe('when the generator is iterated to the end', () => {
    it('makes one span covering the iteration, with the items counted', () => {
      const source = new Source();
      const generator = source.numbers(3);
      expect(pipeline.spans()).toHaveLength(0);
      expect([...generator]).toEqual([0, 1, 2]);
      const span = pipeline.span('Source.numbers');
      expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(3);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('runs the body with the span active on each next()', () => {
      const source = new Source();
      const generator = source.numbers(2);
      generator.next();
      expect(activeSpanId()).toBeUndefined();
      generator.next('child');
      generator.next();
      const span = pipeline.span('Source.numbers');
      expect(source.seen).toEqual([idOf(span), idOf(span)]);
      expect(parentOf(pipeline.span('Source.child'))).toBe(idOf(span));
    });

    it('keeps the generator protocol: values in, return value out', () => {
      const generator = new Source().numbers(1);
      expect(generator.next()).toEqual({ value: 0, done: false });
      expect(generator.next()).toEqual({ value: 'finished', done: true });
      expect(generator.next()).toEqual({ value: undefined, done: true });
      expect(pipeline.spans()).toHaveLength(1);
    });
  });

  describe('when the consumer stops early', () => {
    it('ends the span on return(), running the generator cleanup in the span', () => {
      const source = new Source();
      for (const value of source.guarded()) {
        if (value === 1) break;
      }
      const span = pipeline.span('Source.guarded');
      expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(1);
      expect(source.seen).toEqual([`cleanup in ${idOf(span)}`]);
    });

    it('ends the span on an explicit return(value), which answers as the generator does', () => {
      const generator = new Source().numbers(3);
      generator.next();
      expect(pipeline.spans()).toHaveLength(0);
      expect(generator.return('early')).toEqual({ value: 'early', done: true });
      expect(pipeline.span('Source.numbers').attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(1);
      expect(generator.next()).toEqual({ value: undefined, done: true });
      expect(pipeline.spans()).toHaveLength(1);
    });
  });

  describe('when the consumer throws into it', () => {
    it('ends the span with the error when the generator does not catch it', () => {
      const generator = new Source().guarded();
      generator.next();
      const error = new Error('consumer gave up');
      expect(() => generator.throw(error)).toThrow(error);
      const span = pipeline.span('Source.guarded');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(1);
    });

    it('keeps the span open when the generator catches it and goes on', () => {
      const generator = new Source().recovering();
      generator.next();
      expect(generator.throw(new Error('x'))).toEqual({ value: 'recovered', done: false });
      expect(pipeline.spans()).toHaveLength(0);
      expect(generator.next().done).toBe(true);
      expect(pipeline.span('Source.recovering').attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(2);
    });
  });

  describe('when it is an async generator', () => {
    it('covers the iteration and keeps the context across awaits in the body', async () => {
      const source = new Source();
      const pages: number[][] = [];
      for await (const page of source.pages(3)) pages.push(page);
      expect(pages).toEqual([[0], [1], [2]]);
      const span = pipeline.span('Source.pages');
      expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(3);
      expect(source.seen).toEqual([idOf(span), idOf(span), idOf(span)]);
      for (const child of pipeline.spans().filter((s) => s.name === 'Source.child')) {
        expect(parentOf(child)).toBe(idOf(span));
      }
    });

    it('ends the span when the consumer breaks out of for await', async () => {
      for await (const page of new Source().pages(10)) {
        if (page[0] === 1) break;
      }
      expect(pipeline.span('Source.pages').attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(2);
    });

    it('records an error thrown by the body and passes it on unchanged', async () => {
      const generator = new Source().failing();
      await generator.next();
      await expect(generator.next()).rejects.toThrow('page failed');
      const span = pipeline.span('Source.failing');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes[GENERATOR_ITEMS_ATTRIBUTE]).toBe(1);
    });

    it('is a child of the span active where it was called', async () => {
      class Outer {
        @Traced()
        async collect() {
          const out: number[][] = [];
          for await (const page of new Source().pages(1)) out.push(page);
          return out;
        }
      }
      await new Outer().collect();
      await settleTurn();
      expect(parentOf(pipeline.span('Source.pages'))).toBe(idOf(pipeline.span('Outer.collect')));
    });
  });
});

describe('Traced on a generator method, abandoned', () => {
  describe('when the generator object is garbage-collected before it finished', () => {
    it('ends the span, marked abandoned, with the items yielded so far (a real process with --expose-gc)', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-abandoned-'));
      try {
        const bundle = path.join(dir, 'child.js');
        buildSync({
          entryPoints: [path.join(__dirname, '../support/abandonedGenerator.child.ts')],
          bundle: true,
          platform: 'node',
          target: 'node18',
          packages: 'external',
          outfile: bundle,
          logLevel: 'silent',
        });
        const output = execFileSync(process.execPath, ['--expose-gc', bundle], {
          encoding: 'utf8',
          env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
        });
        const { spans } = JSON.parse(output.trim().split('\n').at(-1)!) as {
          spans: { name: string; attributes: Record<string, unknown> }[];
        };
        const byName = new Map(spans.map((span) => [span.name, span.attributes]));
        expect(byName.get('Feed.endless')).toEqual({
          [GENERATOR_ITEMS_ATTRIBUTE]: 2,
          [GENERATOR_ABANDONED_ATTRIBUTE]: true,
        });
        expect(byName.get('Feed.endlessAsync')).toEqual({
          [GENERATOR_ITEMS_ATTRIBUTE]: 1,
          [GENERATOR_ABANDONED_ATTRIBUTE]: true,
        });
        // The generator still referenced (`kept`) keeps its span open: exactly two spans ended.
        expect(spans).toHaveLength(2);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
