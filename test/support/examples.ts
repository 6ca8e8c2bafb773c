import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './bundleSource';
import { startNode, type RunningChild } from './childProcess';

/** The built entry point of an example, as a user runs it after `npm run build`. */
export function exampleScript(example: string, file = 'main.js'): string {
  const script = path.join(repoRoot, 'examples', example, 'dist', file);
  if (!fs.existsSync(script)) {
    throw new Error(
      `${path.relative(repoRoot, script)} is missing: run \`npm run build\` first (npm test does)`,
    );
  }
  return script;
}

/**
 * Runs an example's built program with the given environment on top of a clean one (no inherited
 * OTEL_*, TRACERY_* or NODE_ENV variables, so the test decides everything), and waits for its exit.
 */
export async function runExample(
  example: string,
  options: {
    file?: string;
    args?: string[];
    env?: NodeJS.ProcessEnv;
    deadlineMs?: number;
    /** Called with the child as soon as it is started (to watch its output while it runs). */
    onStart?: (child: RunningChild) => void;
  } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; lines: string[]; child: RunningChild }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OTEL_|TRACERY_|NODE_ENV$|FC_|JAEGER_|TRACING_ANALYSIS_)/.test(key)) env[key] = value;
  }
  const child = startNode([exampleScript(example, options.file), ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...env, ...options.env },
    deadlineMs: options.deadlineMs ?? 30_000,
  });
  options.onStart?.(child);
  const { code } = await child.exited;
  return { code, stdout: child.lines.join('\n'), stderr: child.stderr(), lines: child.lines, child };
}
