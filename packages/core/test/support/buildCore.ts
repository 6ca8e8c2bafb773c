import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Runs the TypeScript compiler of the repository; returns its output, throws with it on errors. */
export function runTsc(args: string[], cwd = REPO_ROOT): string {
  try {
    return execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), ...args],
      {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** Held while one Jest worker builds, so two test files never write `dist` at the same time. */
const BUILD_LOCK = path.join(os.tmpdir(), 'tracery-core-build.lock');
const STALE_LOCK_MS = 120_000;

/** Builds `packages/core/dist` (incremental: nothing to do when it is up to date). */
export function buildCore(): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    runTsc(['-b', path.join(REPO_ROOT, 'packages/core')]);
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}
