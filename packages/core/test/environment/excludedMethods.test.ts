import { EXCLUDE_ENV, Traced } from '@tracery/core';
import { installInMemoryPipeline, type InMemoryPipeline } from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline()));
afterEach(() => {
  pipeline.reset();
  delete process.env[EXCLUDE_ENV];
});
afterAll(() => pipeline.uninstall());

const names = () => pipeline.spans().map((span) => span.name);

describe('TRACERY_EXCLUDE', () => {
  describe('when it names Class.method', () => {
    it('runs that method untraced and the others traced, with the same results', () => {
      class Cache {
        @Traced()
        get(key: string) {
          return `value:${key}`;
        }
        @Traced()
        set(key: string) {
          return key.length;
        }
      }
      process.env[EXCLUDE_ENV] = ' Other.thing , Cache.get ';
      const cache = new Cache();
      expect(cache.get('a')).toBe('value:a');
      expect(cache.set('ab')).toBe(2);
      expect(names()).toEqual(['Cache.set']);
    });
  });

  describe('when it names Class.*', () => {
    it('runs every traced method of the class untraced', async () => {
      @Traced()
      class Noisy {
        ping() {
          return 'pong';
        }
        async tick() {
          return 1;
        }
      }
      process.env[EXCLUDE_ENV] = 'Noisy.*';
      expect(new Noisy().ping()).toBe('pong');
      await expect(new Noisy().tick()).resolves.toBe(1);
      expect(names()).toEqual([]);
    });

    it('matches the class name, not a custom span name', () => {
      class Renamed {
        @Traced('custom.span')
        run() {
          return 1;
        }
      }
      process.env[EXCLUDE_ENV] = 'Renamed.run';
      new Renamed().run();
      expect(names()).toEqual([]);
    });
  });

  describe('when the variable changes after the first call', () => {
    it('keeps the decision made at the first call', () => {
      class Decided {
        @Traced()
        early() {
          return 'e';
        }
        @Traced()
        excludedEarly() {
          return 'x';
        }
      }
      const decided = new Decided();
      process.env[EXCLUDE_ENV] = 'Decided.excludedEarly';
      decided.early();
      decided.excludedEarly();
      process.env[EXCLUDE_ENV] = 'Decided.early';
      decided.early();
      decided.excludedEarly();
      expect(names()).toEqual(['Decided.early', 'Decided.early']);
    });
  });

  describe('when a static method is named', () => {
    it('excludes it by Class.method too', () => {
      class Tools {
        @Traced()
        static util() {
          return 'u';
        }
      }
      process.env[EXCLUDE_ENV] = 'Tools.util';
      expect(Tools.util()).toBe('u');
      expect(names()).toEqual([]);
    });
  });
});
