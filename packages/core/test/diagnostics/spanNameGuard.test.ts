import { SPAN_NAME_CARDINALITY_LIMIT, Traced } from '@tracery/core';
import { captureDiag, installInMemoryPipeline, type InMemoryPipeline } from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline()));
afterEach(() => pipeline.reset());
afterAll(() => pipeline.uninstall());

describe('span names computed from arguments', () => {
  describe('when the name function returns a name', () => {
    it('names each span from its call', () => {
      class Jobs {
        @Traced({ name: (args) => `job ${String(args[0])}` })
        run(kind: string) {
          return kind;
        }
      }
      new Jobs().run('email');
      new Jobs().run('sms');
      expect(pipeline.spans().map((s) => s.name)).toEqual(['job email', 'job sms']);
    });
  });

  describe('when the name function fails', () => {
    it('uses the default name, runs the method and reports once', () => {
      const diag = captureDiag();
      try {
        class Broken {
          @Traced({
            name: () => {
              throw new Error('no name');
            },
          })
          run() {
            return 'ran';
          }
          @Traced({ name: () => undefined as unknown as string })
          empty() {
            return 'ran';
          }
        }
        expect(new Broken().run()).toBe('ran');
        expect(new Broken().run()).toBe('ran');
        expect(new Broken().empty()).toBe('ran');
        expect(pipeline.spans().map((s) => s.name)).toEqual(['Broken.run', 'Broken.run', 'Broken.empty']);
        expect(diag.messages.filter((m) => m.includes('Broken.run'))).toHaveLength(1);
        expect(diag.messages.filter((m) => m.includes('Broken.empty'))).toHaveLength(1);
      } finally {
        diag.restore();
      }
    });
  });

  describe('when one method produces too many distinct names', () => {
    it(`warns once after ${SPAN_NAME_CARDINALITY_LIMIT} distinct names and keeps naming spans`, () => {
      const diag = captureDiag();
      try {
        class PerUser {
          @Traced({ name: (args) => `load user ${String(args[0])}` })
          load(id: number) {
            return id;
          }
        }
        const perUser = new PerUser();
        for (let i = 0; i < SPAN_NAME_CARDINALITY_LIMIT; i++) perUser.load(i % 50 === 0 ? 0 : i);
        for (let i = 0; i < SPAN_NAME_CARDINALITY_LIMIT; i++) perUser.load(i);
        expect(diag.messages.filter((m) => m.includes('distinct span names'))).toHaveLength(0);
        perUser.load(SPAN_NAME_CARDINALITY_LIMIT);
        for (let i = 0; i < 500; i++) perUser.load(1000 + i);
        const warnings = diag.messages.filter((m) => m.includes('distinct span names'));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('PerUser.load');
        expect(pipeline.spans().at(-1)?.name).toBe('load user 1499');
      } finally {
        diag.restore();
      }
    });
  });
});
