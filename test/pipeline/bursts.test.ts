// Bursts through the default pipeline (TracerService with a Jaeger exporter, OTEL_BSP_* defaults) to a healthy
// collector on 127.0.0.1 that answers after a delay: every span that fits in the queue arrives, whatever the burst
// shape and flush timing. The collector decodes with the `thrift` package (independent of our encoder).
import { TracerService } from '@tracery/core';
import { createExporter } from '@tracery/exporters';
import * as fc from 'fast-check';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

function tracingTo(collector: FakeJaegerCollector, pipeline = {}): TracerService {
  return new TracerService({
    serviceName: 'bursts',
    exporter: createExporter({ kind: 'jaeger', endpoint: collector.url }),
    registerGlobal: false,
    pipeline: { env: {}, ...pipeline },
  });
}

function endBurst(tracing: TracerService, count: number, prefix: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    tracing.startSpan(name).end();
    names.push(name);
  }
  return names;
}

const pause = (kind: 'none' | 'immediate' | number): Promise<void> =>
  kind === 'none'
    ? Promise.resolve()
    : kind === 'immediate'
      ? new Promise((resolve) => setImmediate(resolve))
      : new Promise((resolve) => setTimeout(resolve, kind));

describe('the default export pipeline under bursts', () => {
  let collector: FakeJaegerCollector;
  beforeEach(async () => (collector = await startFakeJaegerCollector({ behaviour: 'slow', delayMs: 30 })));
  afterEach(() => collector.close());

  describe('when 512 spans end, then 2048 more, then forceFlush() (the issue, as it was met)', () => {
    it('delivers all 2560 to a collector answering every request in 30 ms', async () => {
      const tracing = tracingTo(collector);
      const ended = [...endBurst(tracing, 512, 'first'), ...endBurst(tracing, 2048, 'second')];
      await tracing.forceFlush();
      await tracing.shutdown();
      expect(
        collector
          .spans()
          .map((s) => s.operationName)
          .sort(),
      ).toEqual(ended.sort());
      expect(tracing.exportStats()).toMatchObject({
        delivered: 2560,
        dropped: { queueFull: 0, exportFailed: 0 },
      });
    });
  });

  describe('when bursts of any shape end between flushes of any timing', () => {
    it('delivers every span exactly once (property, 12 shapes against the real socket)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              spans: fc.integer({ min: 1, max: 2048 }),
              then: fc.constantFrom<'none' | 'immediate' | number>('none', 'immediate', 1, 15, 40),
              flush: fc.boolean(),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          fc.constantFrom(0, 10, 40),
          async (bursts, latency) => {
            collector.setBehaviour(latency === 0 ? 'accept' : 'slow', latency);
            const before = collector.spans().length;
            const tracing = tracingTo(collector);
            const ended: string[] = [];
            const flushes: Promise<unknown>[] = [];
            for (const [index, burst] of bursts.entries()) {
              ended.push(...endBurst(tracing, burst.spans, `b${index}`));
              if (burst.flush) flushes.push(tracing.forceFlush());
              await pause(burst.then);
            }
            await Promise.all(flushes);
            await tracing.shutdown();
            const received = collector
              .spans()
              .slice(before)
              .map((s) => s.operationName);
            expect(received.sort()).toEqual(ended.sort());
          },
        ),
        { numRuns: 12 },
      );
    }, 60_000);
  });

  describe('when the collector is slower than the batch interval', () => {
    it('delivers every span: batches wait for a free slot instead of being dropped', async () => {
      collector.setBehaviour('slow', 200);
      const tracing = tracingTo(collector, { scheduledDelayMillis: 10, maxConcurrentExports: 2 });
      const ended: string[] = [];
      // ~1,500 spans over ~0.6 s in bursts of 400 and trickles of 5: within what 2 slots of 512 per 200 ms carry.
      for (let tick = 0; tick < 60; tick++) {
        ended.push(...endBurst(tracing, tick % 20 === 0 ? 400 : 5, `t${tick}`));
        await pause(10);
      }
      const result = await tracing.flush();
      await tracing.shutdown();
      expect(result.complete).toBe(true);
      expect(collector.spans().length).toBe(ended.length);
      expect(tracing.exportStats().dropped).toEqual({
        queueFull: 0,
        exportFailed: 0,
        exporter: 0,
        afterShutdown: 0,
      });
    });
  });

  describe('when the collector is down, then up again', () => {
    it('holds at most the queue, counts every dropped span, and delivers again once the collector answers', async () => {
      collector.setBehaviour('status500');
      const tracing = tracingTo(collector, { scheduledDelayMillis: 5 });
      let maxHeld = 0;
      for (let wave = 0; wave < 40; wave++) {
        endBurst(tracing, 500, `down${wave}`);
        const { queued, inFlight } = tracing.exportStats();
        maxHeld = Math.max(maxHeld, queued + inFlight);
        await pause(2);
      }
      await tracing.flush();
      const down = tracing.exportStats();
      expect(maxHeld).toBeLessThanOrEqual(2048 + 512); // the queue, and the one probing export while failing
      expect(down.delivered).toBe(0);
      expect(down.dropped.queueFull + down.dropped.exportFailed).toBe(20_000);

      collector.setBehaviour('accept');
      const ended = endBurst(tracing, 1000, 'up');
      expect(await tracing.flush()).toEqual({ complete: true, delivered: 1000, dropped: 0 });
      await tracing.shutdown();
      expect(
        collector
          .spans()
          .map((s) => s.operationName)
          .sort(),
      ).toEqual(ended.sort());
    });
  });
});
