import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type * as FcModule from '../../src';
import { captureDiag } from '../../../../test/support/captureDiag';
import { fcContext } from '../helpers/fcContexts';
import { memoryTracing, resetOpenTelemetry } from '../helpers/memoryTracing';

/** A fresh copy of the package (its report-once memory included). */
function freshFc(): typeof FcModule {
  let fc: typeof FcModule | undefined;
  jest.isolateModules(() => {
    fc = require('../../src') as typeof FcModule;
  });
  return fc!;
}

/**
 * A tracer service whose flush never settles (a collector that never answers). Its own flush, not a provider's:
 * OpenTelemetry's provider would bound it with a 30 s timer that holds the test process.
 */
function neverFlushingService(): { provider: BasicTracerProvider; forceFlush: () => Promise<void> } {
  return { provider: new BasicTracerProvider(), forceFlush: () => new Promise<void>(() => undefined) };
}

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

  describe('when the flush does not settle', () => {
    it('waits no longer than the time left in the invocation minus the safety margin, however large flushTimeoutMs is', async () => {
      const diagCapture = captureDiag();
      try {
        const handler = freshFc().tracedHandler(async () => 'in time', {
          tracerService: neverFlushingService(),
          flushTimeoutMs: 60_000,
          safetyMarginMs: 200,
        });
        const context = fcContext({ function: { name: 'orders-fn', timeout: 1 } });
        await expect(handler(Buffer.alloc(0), context)).resolves.toBe('in time');
        const [report] = diagCapture.including('spans were not exported within');
        const waitedMs = Number(/within (\d+) ms/.exec(report.text)![1]);
        expect(waitedMs).toBeGreaterThan(0);
        expect(waitedMs).toBeLessThanOrEqual(800); // 1 s function timeout - 200 ms margin
      } finally {
        diagCapture.restore();
      }
    });

    it('waits flushTimeoutMs when the invocation has more time left', async () => {
      const diagCapture = captureDiag();
      try {
        const handler = freshFc().tracedHandler(async () => 'in time', {
          tracerService: neverFlushingService(),
          flushTimeoutMs: 150,
        });
        await expect(handler(Buffer.alloc(0), fcContext())).resolves.toBe('in time');
        expect(diagCapture.including('spans were not exported within 150 ms')).toHaveLength(1);
      } finally {
        diagCapture.restore();
      }
    });

    it('skips the flush when the safety margin leaves no time, and says so', async () => {
      const diagCapture = captureDiag();
      try {
        const handler = freshFc().tracedHandler(async () => 'in time', {
          tracerService: neverFlushingService(),
          safetyMarginMs: 5_000,
        });
        const context = fcContext({ function: { name: 'orders-fn', timeout: 1 } });
        await expect(handler(Buffer.alloc(0), context)).resolves.toBe('in time');
        expect(diagCapture.including('the flush was skipped')).toHaveLength(1);
        expect(diagCapture.including('spans were not exported within')).toHaveLength(0);
      } finally {
        diagCapture.restore();
      }
    });
  });
});
