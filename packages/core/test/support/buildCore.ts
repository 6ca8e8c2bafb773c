import { execFileSync } from 'node:child_process';
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

/** Builds `packages/core/dist` (incremental: nothing to do when it is up to date). */
export function buildCore(): void {
  runTsc(['-b', path.join(REPO_ROOT, 'packages/core')]);
}
