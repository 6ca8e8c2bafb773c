// 100,000 spans through the export pipeline while the collector is down: nothing may pile up. Assertions are on
// the pipeline's own bounds (spans queued and in flight) and on the heap after garbage collection, never on time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DiagLogLevel } from '@opentelemetry/api';
import { ExportPipeline } from '@tracery/commons';
import { JaegerHttpExporter } from '../../src/jaeger/JaegerHttpExporter';
import { captureDiag } from '../../../../test/support/captureDiag';
import { closedPortUrl } from '../../../../test/support/loopback';
import { recordSpans } from './recordSpans';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus memory outside it (Buffers live there), after garbage collection. */
function memoryAfterGc(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

describe('JaegerHttpExporter in the export pipeline', () => {
  describe('when 100k spans end while the collector is down', () => {
    it('drops and counts them, holds at most the queue, reports once, and memory does not grow', async () => {
      const diagCapture = captureDiag(DiagLogLevel.WARN);
      const pipeline = new ExportPipeline(
        new JaegerHttpExporter({
          kind: 'jaeger',
          endpoint: await closedPortUrl('/adapt_token123456/api/traces'),
        }),
        { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1, env: {} },
      );
      const spans = recordSpans((tracer) => {
        for (let i = 0; i < 100; i++)
          tracer.startSpan(`op-${i}`, { attributes: { i, pad: 'x'.repeat(100) } }).end();
      });
      let maxHeld = 0;
      const endSpans = async (count: number): Promise<void> => {
        // Waves of spans as a busy service ends them, the event loop turning in between.
        for (let wave = 0; wave < count / spans.length; wave++) {
          for (const span of spans) pipeline.onEnd(span);
          const { queued, inFlight } = pipeline.stats;
          maxHeld = Math.max(maxHeld, queued + inFlight);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await pipeline.flush();
      };

      await endSpans(10_000); // warm-up: sockets, JIT, lazily built structures
      const before = memoryAfterGc();
      await endSpans(100_000);
      const after = memoryAfterGc();
      const stats = pipeline.stats;
      await pipeline.shutdown();
      diagCapture.restore();

      expect(stats.delivered).toBe(0);
      expect(stats.dropped.exportFailed + stats.dropped.queueFull).toBe(110_000);
      // queue + the one export in flight while exports fail
      expect(maxHeld).toBeLessThanOrEqual(2048 + 512);
      // 100k spans of ~200 bytes each would be ~20 MB encoded if anything kept them.
      expect(after - before).toBeLessThan(5 * 1024 * 1024);
      expect(diagCapture.including('ECONNREFUSED')).toHaveLength(1);
      expect(diagCapture.text()).not.toContain('token123456');
    });
  });
});
