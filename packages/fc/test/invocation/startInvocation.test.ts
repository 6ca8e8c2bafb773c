import type * as FcModule from '../../src';
import { fcContext } from '../helpers/fcContexts';
import { memoryTracing, resetOpenTelemetry } from '../helpers/memoryTracing';

describe('startInvocation', () => {
  afterAll(() => resetOpenTelemetry());

  describe('when a fresh instance handles calls', () => {
    it('sets faas.coldstart true on the first call of the process only, whichever handler takes it', async () => {
      const tracing = memoryTracing();
      let fc: typeof FcModule | undefined;
      jest.isolateModules(() => {
        fc = require('../../src') as typeof FcModule;
      });
      const options = { tracerProvider: tracing.provider };
      const init = fc!.tracedInitializer(async () => undefined, { ...options, spanName: 'init' });
      const first = fc!.tracedHandler(async () => 1, { ...options, spanName: 'first' });
      const second = fc!.tracedHandler(async () => 2, { ...options, spanName: 'second' });
      await init(fcContext());
      await first(Buffer.alloc(0), fcContext());
      await second(Buffer.alloc(0), fcContext());
      await first(Buffer.alloc(0), fcContext());
      const coldStart = tracing.spans().map((span) => [span.name, span.attributes['faas.coldstart']]);
      expect(coldStart).toEqual([
        ['init', true],
        ['first', true],
        ['second', false],
        ['first', false],
      ]);
      await tracing.provider.shutdown();
    });
  });
});
