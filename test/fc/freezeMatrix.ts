// FC freezes an instance once no invocation is running: what was not exported by then is lost (or sent minutes
// later). Each child process here runs 1, 10 or 50 overlapping invocations x 100 spans, with the instance's own
// provider or with the inversify set-up of packages/fc/README.md, and stops itself dead (SIGSTOP) when the last
// result is handed back. The collector answers after 0 ms, 1 s or 1.5 s (within the 2 s flush budget), or never.
// Whenever it answers within the budget, every span of every invocation must have been acknowledged (the
// collector's answer sent) before that invocation's result was handed back; when it never answers, the results
// still come back within the budget: the documented loss case.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleForNode } from '../support/bundleSource';
import { killChildren, startNode } from '../support/childProcess';
import {
  startFakeCollectorServer,
  recordPostsTo,
  type FakeCollectorServer,
} from '../support/fakeCollectorServer';
import { decodeBinaryBatch } from '../support/jaegerThriftReader';

const SPANS_PER_INVOCATION = 101; // 100 children and the invocation span
const BUDGET_MS = 2000; // flushTimeoutMs' default
const SLACK_MS = 1500;

/** A Jaeger collector answering each batch after `latencyMs` (never, for `hang`), noting when it answered. */
async function startLatentCollector(latency: number | 'hang'): Promise<{
  url: string;
  /** Per trace id: when the collector answered for each of its spans (`performance.now()`). */
  acked: Map<string, number[]>;
  close(): Promise<void>;
}> {
  const acked = new Map<string, number[]>();
  const server: FakeCollectorServer = await startFakeCollectorServer({
    receive: recordPostsTo(/^\/api\/traces$/, []),
    status400Text: 'bad body',
    accept(_req, body, res) {
      const traceIds = decodeBinaryBatch(body).spans.map((span) => span.traceId);
      if (latency === 'hang') return;
      setTimeout(() => {
        res.writeHead(202).end(() => {
          const at = performance.now();
          for (const traceId of traceIds) acked.set(traceId, [...(acked.get(traceId) ?? []), at]);
        });
      }, latency);
    },
  });
  return { url: `${server.baseUrl}/api/traces`, acked, close: () => server.close() };
}

let program: string;
let workDir: string;
beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-freeze-'));
  program = await bundleForNode(
    path.join(__dirname, 'fixtures', 'concurrentInvocations.ts'),
    path.join(workDir, 'program.js'),
  );
});
afterAll(async () => {
  await killChildren();
  fs.rmSync(workDir, { recursive: true, force: true });
});

export function describeFreeze(mode: 'own' | 'inversify'): void {
  describe(`tracedHandler (${mode === 'own' ? "the instance's own provider" : 'the inversify set-up'}) frozen at the last result`, () => {
    describe.each([1, 10, 50])('with %i concurrent invocations', (concurrency) => {
      it.each([0, 1000, 1500])(
        'has every span acknowledged before its result is handed back (collector answering in %i ms)',
        async (latency) => {
          const collector = await startLatentCollector(latency);
          try {
            const child = startNode([program, mode, String(concurrency), collector.url], {
              deadlineMs: 30_000,
            });
            await child.waitForLine((line) => line === 'stopping', 25_000);
            await new Promise((resolve) => setTimeout(resolve, 200)); // answers already on their way land
            const handed = child.lines
              .map((line, i) => ({ line, at: child.lineTimes[i] }))
              .filter(({ line }) => line.startsWith('handed '));
            expect(handed).toHaveLength(concurrency);
            const late: string[] = [];
            for (const { line, at } of handed) {
              const traceId = line.slice('handed '.length);
              const acks = collector.acked.get(traceId) ?? [];
              expect({ traceId, acknowledged: acks.length }).toEqual({
                traceId,
                acknowledged: SPANS_PER_INVOCATION,
              });
              if (acks.some((ackedAt) => ackedAt >= at)) late.push(traceId);
            }
            expect(late).toEqual([]);
            child.kill();
          } finally {
            await collector.close();
          }
        },
        30_000,
      );

      it('hands every result back within the flush budget when the collector never answers', async () => {
        const collector = await startLatentCollector('hang');
        try {
          const started = performance.now();
          const child = startNode([program, mode, String(concurrency), collector.url], {
            deadlineMs: 30_000,
          });
          await child.waitForLine((line) => line === 'stopping', 25_000);
          const handed = child.lineTimes.filter((_, i) => child.lines[i].startsWith('handed '));
          expect(handed).toHaveLength(concurrency);
          // Process start, the staggered arrivals (<= 100 ms) and the work, then at most the budget each.
          for (const at of handed) expect(at - started).toBeLessThan(BUDGET_MS + SLACK_MS + 1000);
          expect(collector.acked.size).toBe(0);
          child.kill();
        } finally {
          await collector.close();
        }
      }, 30_000);
    });
  });
}
