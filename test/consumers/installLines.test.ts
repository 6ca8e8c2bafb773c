import * as fs from 'node:fs';
import {
  compile,
  ConsumerProject,
  packAll,
  runPrograms,
  scratchDir,
  tscOf,
  writePrograms,
  type ProgramRun,
} from '../support/consumerProject';
import { readmeBlocks, readmeFiles, readmeTsconfig, type ReadmeBlock } from '../support/readmeBlocks';
import { runTracingModuleContract } from './tracingModuleContract';

/**
 * Every `npm install` line of every README, typed as the README has it, in a fresh project per README, against
 * today's npm registry and the packed packages (see `test/support/consumerProject.ts`). Then that README's
 * programs are compiled with the TypeScript its lines installed (today's release) and run, in each module
 * system they are written for; where the lines installed inversify (today's: 8), tracingModule's contract runs
 * too, through both entry points. The registry decides what "today" is: a new release of a dependency that
 * breaks an install line or a README program fails here.
 */
type ProgramBlock = Extract<ReadmeBlock, { kind: 'program' }>;

const withInstallLines = readmeFiles().filter((readme) =>
  readmeBlocks(readme).some((block) => block.kind === 'shell' && block.installLines.length > 0),
);

let work: string;
let tarballs: Map<string, string>;

beforeAll(() => {
  work = scratchDir('tracery-install-lines-');
  tarballs = packAll(work);
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.each(withInstallLines)('the install lines of %s', (readme) => {
  const blocks = readmeBlocks(readme);
  const lines = blocks.flatMap((block) => (block.kind === 'shell' ? block.installLines : []));
  const programs = blocks.filter((block): block is ProgramBlock => block.kind === 'program');
  let project: ConsumerProject;
  const installs: { line: string; status: number | null; output: string }[] = [];

  beforeAll(() => {
    project = new ConsumerProject(work, readme.replace(/[^A-Za-z0-9]+/g, '-'), tarballs, work);
    for (const line of lines) {
      const result = project.install(line);
      installs.push({ line, status: result.status, output: result.output });
      if (result.status !== 0) break;
    }
  }, 600_000);

  it('each resolves against the registry and installs, with no peer conflict', () => {
    const outcome = installs.map(({ line, status, output }) => ({
      line,
      status,
      conflicts: output
        .split('\n')
        .filter((text) => /ERESOLVE|conflicting peer|Could not resolve/i.test(text)),
    }));
    expect(outcome).toEqual(lines.map((line) => ({ line, status: 0, conflicts: [] })));
  });

  it('leaves every package within every range it is given, peers included (npm ls --all)', () => {
    expect(project.listProblems()).toEqual([]);
  });

  it('gives @opentelemetry/api 1.9 (the registry has 1.10) and, when listed, the inversify of today (8)', () => {
    expect(project.installedVersion('@opentelemetry/api')).toMatch(/^1\.9\./);
    if (lines.some((line) => /\binversify\b/.test(line))) {
      expect(project.installedVersion('inversify')).toMatch(/^8\./);
    }
  });

  const compiled = programs.filter((block) => block.language === 'ts' || block.language === 'js');
  if (compiled.length === 0) return;

  describe('when its programs are compiled and run in that project', () => {
    let systems: ('cjs' | 'esm')[];
    let runs: ProgramRun[];
    const errors: string[] = [];

    beforeAll(async () => {
      systems = writePrograms(project.dir, compiled, readmeTsconfig());
      // The TypeScript the README's own line installed; a JavaScript-only README installs none.
      const tsc = tscOf(project.dir);
      const hasTypeScript = fs.existsSync(tsc);
      for (const system of systems) {
        if (hasTypeScript) errors.push(...compile(tsc, project.dir, system));
      }
      runs = await runPrograms(
        project.dir,
        compiled.flatMap((block) =>
          block.modules
            .filter(() => hasTypeScript || block.language === 'js')
            .map((system) => ({ system, block })),
        ),
      );
    }, 600_000);

    it('type-checks them (skipLibCheck false) with the TypeScript the lines installed', () => {
      expect(errors).toEqual([]);
    });

    it('runs each to a clean exit: status 0, nothing on stderr', () => {
      expect(runs.filter((run) => run.code !== 0 || run.stderr !== '')).toEqual([]);
      expect(runs.length).toBeGreaterThan(0);
    });
  });

  if (!lines.some((line) => /\binversify\b/.test(line))) return;

  it("keeps tracingModule's contract with the registry's inversify, through the CommonJS and the ESM entry", () => {
    expect(runTracingModuleContract(project.dir)).toEqual({ failed: 0, passed: expect.any(Number) });
  }, 120_000);
});
