import * as path from 'node:path';
import { build } from 'esbuild';

export const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Bundles a TypeScript program of the test suite into one CommonJS file for a child process, resolving
 * `@tracery/*` to the package SOURCES through the root tsconfig's paths (as Jest does), so cross-process
 * tests need no prior build. esbuild does not emit decorator metadata: programs bundled this way inject
 * by explicit `@inject(...)` tokens.
 */
export async function bundleForNode(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    tsconfig: path.join(repoRoot, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return outfile;
}
