import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { TracerService } from '@tracery/core';
import { REPO_ROOT } from '../support/buildCore';
import { captureDiag } from '../support/inMemoryPipeline';

let dir: string;
let bundle: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-exit-'));
  bundle = path.join(dir, 'child.js');
  buildSync({
    entryPoints: [path.join(__dirname, '../support/exitWithoutShutdown.child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    packages: 'external',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the child to its natural end (failing after 50 s); returns the span names its exporter was given. */
function runChild(mode: 'exporting' | 'hanging', env: NodeJS.ProcessEnv = {}): string[] {
  const output = execFileSync(process.execPath, [bundle, mode], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 50_000, // a child kept alive by the exit flush fails the test instead of hanging it
    env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ...env },
  });
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { exported: string }).exported);
}

describe('TracerService', () => {
  describe('when the process ends without shutdown()', () => {
    it('exports the spans its batch processor still holds, then exits (a real child process)', () => {
      // The batch delay (5 s by default) is far longer than the child's life: only the exit flush exports.
      const exported = runChild('exporting', { OTEL_BSP_SCHEDULE_DELAY: '60000' });
      expect(exported).toEqual(['Job.run', 'late']);
    }, 60_000);

    it('stops waiting for an exporter that never answers once the export timeout passes', () => {
      const given = runChild('hanging', { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_BSP_EXPORT_TIMEOUT: '300' });
      expect(given).toEqual(['Job.run', 'late']); // each given to the exporter, each wait ended by the timeout
    }, 60_000);
  });

  describe('when services are created and shut down', () => {
    it('adds one beforeExit listener for all of them and removes it with the last shutdown', async () => {
      const before = process.listenerCount('beforeExit');
      const first = new TracerService({ registerGlobal: false, spanProcessors: [] });
      const second = new TracerService({ registerGlobal: false, spanProcessors: [] });
      expect(process.listenerCount('beforeExit')).toBe(before + 1);
      await first.shutdown();
      expect(process.listenerCount('beforeExit')).toBe(before + 1);
      await second.shutdown();
      expect(process.listenerCount('beforeExit')).toBe(before);
    });

    it('reports a failing flush once through diag and throws nothing', async () => {
      const failing = {
        onStart: () => undefined,
        onEnd: () => undefined,
        forceFlush: () => Promise.reject(new Error('flush exploded')),
        shutdown: () => Promise.resolve(),
      };
      const service = new TracerService({ registerGlobal: false, spanProcessors: [failing] });
      const diagnostics = captureDiag();
      try {
        for (let i = 0; i < 2; i++) {
          expect(() => process.emit('beforeExit', 0)).not.toThrow();
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        diagnostics.restore();
        await service.shutdown().catch(() => undefined);
      }
      const reports = diagnostics.messages.filter((m) =>
        m.includes("a span processor's forceFlush() failed"),
      );
      expect(reports).toHaveLength(1);
    });

    it('adds none when tracing is disabled', async () => {
      const before = process.listenerCount('beforeExit');
      const disabled = new TracerService({ enabled: false });
      expect(process.listenerCount('beforeExit')).toBe(before);
      await disabled.shutdown();
    });
  });
});
