// The fault matrix of the export pipeline: one exporter kind against every way a collector fails, through
// TracerService (the default pipeline), real sockets on 127.0.0.1. Each case asserts what a user relies on: no throw
// or rejection reaches the caller; the flush ends within its budget, settled (delivered or dropped, counted); the
// client cut every connection of a bad exchange by then; one report per outage and one on recovery; the next exports
// succeed once the collector is healthy; no secret in any output.
import { DiagLogLevel } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { createExporter, type ExporterConfig } from '@tracery/exporters';
import { captureDiag, type DiagCapture } from '../support/captureDiag';
import {
  FAULT_OUTCOME,
  startFaultyCollector,
  type Fault,
  type FaultyCollector,
} from '../support/faultyCollector';

export const TOKEN = 'matrixTOKEN_s3cr3t_77';
export const HEADER_SECRET = 'hdr-SECRET-matrix-42';
/** Time budget of one export: every fault must be over by then (plus scheduling slack). */
export const TIMEOUT_MS = 400;
const SLACK_MS = 2000;
const SPANS_PER_ROUND = 30;

/** An exporter config sending to `baseUrl` with secrets in the path and a header. */
export type ConfigFor = (baseUrl: string) => ExporterConfig | ExporterConfig[];

export const FAULTS = Object.keys(FAULT_OUTCOME) as Exclude<Fault, 'healthy'>[];
/** The faults whose answer never ends by itself (the others end, or the server closes the connection). */
const ENDLESS: readonly Fault[] = [
  'accept-and-hang',
  'headers-then-stall',
  'trickled-body',
  'endless-body',
  'huge-content-length',
];

function endSpans(service: TracerService, prefix: string): void {
  for (let i = 0; i < SPANS_PER_ROUND; i++) service.startSpan(`${prefix}-${i}`).end();
}

/** Flushes, asserting it ends within the budget; returns the result. */
async function timedFlush(service: TracerService): Promise<Awaited<ReturnType<TracerService['flush']>>> {
  const started = Date.now();
  const result = await service.flush();
  expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  return result;
}

/**
 * The whole matrix for one exporter kind. `healthyDelivered` is how many of a round's spans a healthy collector
 * that is not the faulty one also gets (a fan-out's other destination), for the flush totals.
 */
export function describeFaultMatrix(
  kind: string,
  configFor: ConfigFor,
  extra: { otherDestinations?: number } = {},
) {
  const others = extra.otherDestinations ?? 0;

  describe(`${kind} exports through the pipeline`, () => {
    let collector: FaultyCollector;
    let diagCapture: DiagCapture;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

    beforeAll(() => process.on('unhandledRejection', onUnhandled));
    afterAll(() => process.off('unhandledRejection', onUnhandled));
    beforeEach(async () => {
      collector = await startFaultyCollector();
      diagCapture = captureDiag(DiagLogLevel.INFO);
    });
    afterEach(async () => {
      diagCapture.restore();
      await collector.close();
    });

    it.each(FAULTS)('when the collector fails by %s', async (fault) => {
      await collector.setFault(fault);
      const service = new TracerService({
        serviceName: 'matrix',
        exporter: createExporter(configFor(collector.baseUrl)),
        registerGlobal: false,
        pipeline: { env: {} },
      });
      const outcome = FAULT_OUTCOME[fault];
      const expectRound = (result: Awaited<ReturnType<TracerService['flush']>>): void => {
        expect(result.complete).toBe(true);
        expect(result.delivered).toBe(
          outcome === 'delivered' ? SPANS_PER_ROUND * (1 + others) : SPANS_PER_ROUND * others,
        );
        expect(result.dropped).toBe(outcome === 'delivered' ? 0 : SPANS_PER_ROUND);
      };

      endSpans(service, 'first');
      expectRound(await timedFlush(service));
      endSpans(service, 'second');
      expectRound(await timedFlush(service));
      // An answer that never ends was cut by the client within the budget: no connection left hanging or reading.
      if (ENDLESS.includes(fault)) expect(await collector.openConnections()).toBe(0);

      const reports = (): string[] =>
        diagCapture.messages
          .filter((m) => m.text.startsWith('@tracery:'))
          .map((m) => `${m.level}: ${m.text}`);
      expect(reports()).toHaveLength(outcome === 'failed' ? 1 : 0);

      const recovers = fault !== 'tls-to-plain-port' && fault !== 'plain-to-tls-port';
      if (recovers) {
        await collector.setFault('healthy');
        endSpans(service, 'after');
        const after = await timedFlush(service);
        expect(after).toEqual({ complete: true, delivered: SPANS_PER_ROUND * (1 + others), dropped: 0 });
        if (outcome === 'failed') {
          expect(reports()).toHaveLength(2);
          expect(reports()[1]).toMatch(
            /^info: .*exports succeed again after \d+ failed export\(s\); 60 spans dropped/,
          );
        }
      }

      await expect(service.forceFlush()).resolves.toBeUndefined();
      await expect(service.shutdown()).resolves.toBeUndefined();
      // Nothing else speaks of it: no per-export error line (OpenTelemetry's global error handler logs at error).
      expect(diagCapture.messages.filter((m) => m.level === 'error')).toEqual([]);
      const everything = diagCapture.text();
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(HEADER_SECRET);
      expect(unhandled).toEqual([]);
    });
  });
}
