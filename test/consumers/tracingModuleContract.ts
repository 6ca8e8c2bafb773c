import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv } from '../support/consumerProject';

const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * Runs `fixtures/tracingModule.cjs` and `.mjs` (tracingModule's contract, on inversify 7 or 8) with Node's
 * test runner in the root of a consumer project; returns how many of its tests passed and failed.
 */
export function runTracingModuleContract(projectDir: string): { passed: number; failed: number } {
  const files = ['tracingModuleContract.cjs', 'tracingModule.cjs', 'tracingModule.mjs'];
  for (const file of files) fs.copyFileSync(path.join(FIXTURES, file), path.join(projectDir, file));
  const run = spawnSync(process.execPath, ['--test', 'tracingModule.cjs', 'tracingModule.mjs'], {
    cwd: projectDir,
    encoding: 'utf8',
    timeout: 90_000,
    env: cleanEnv(),
  });
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1]);
  const result = { passed: count('pass'), failed: count('fail') };
  if (Number.isNaN(result.passed) || result.failed !== 0) {
    throw new Error(`the contract did not pass (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  return result;
}
