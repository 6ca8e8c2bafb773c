// 100,000 spans exported while the collector is down: nothing may pile up. Assertions are on the exporter's own
// bound (exports in flight) and on the heap after garbage collection, never on time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JaegerHttpExporter, MAX_JAEGER_EXPORTS_IN_FLIGHT } from '../../src/jaeger/JaegerHttpExporter';
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

describe('JaegerHttpExporter', () => {
  describe('when 100k spans are exported while the collector is down', () => {
    it('fails every export, keeps at most the bounded number in flight, and memory does not grow', async () => {
      const diagCapture = captureDiag(DiagLogLevel.WARN);
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: await closedPortUrl('/adapt_token123456/api/traces'),
      });
      const spans = recordSpans((tracer) => {
        for (let i = 0; i < 100; i++)
          tracer.startSpan(`op-${i}`, { attributes: { i, pad: 'x'.repeat(100) } }).end();
      });
      const exportRound = async (exports: number): Promise<{ failed: number; maxInFlight: number }> => {
        let failed = 0;
        let maxInFlight = 0;
        // Waves of concurrent exports, as several processors or a flood of short-lived functions would send.
        for (let wave = 0; wave < exports / 10; wave++) {
          const results = await Promise.all(
            Array.from(
              { length: 10 },
              () =>
                new Promise<ExportResult>((resolve) => {
                  exporter.export(spans, resolve);
                  maxInFlight = Math.max(maxInFlight, exporter.pendingExports);
                }),
            ),
          );
          failed += results.filter((r) => r.code === ExportResultCode.FAILED).length;
        }
        return { failed, maxInFlight };
      };

      await exportRound(100); // warm-up: sockets, JIT, lazily built structures
      const before = memoryAfterGc();
      const { failed, maxInFlight } = await exportRound(1000); // 1000 exports x 100 spans = 100k spans
      await exporter.forceFlush();
      const after = memoryAfterGc();
      await exporter.shutdown();
      diagCapture.restore();

      expect(failed).toBe(1000);
      expect(maxInFlight).toBeLessThanOrEqual(MAX_JAEGER_EXPORTS_IN_FLIGHT);
      expect(exporter.pendingExports).toBe(0);
      // 100k spans of ~200 bytes each would be ~20 MB encoded if anything kept them.
      expect(after - before).toBeLessThan(5 * 1024 * 1024);
      expect(diagCapture.including('ECONNREFUSED')).toHaveLength(1);
    });
  });
});
