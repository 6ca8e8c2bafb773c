import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  compile,
  ConsumerProject,
  packAll,
  runPrograms,
  scratchDir,
  TRACERY_PACKAGES,
  tscOf,
  writePrograms,
  type ProgramRun,
} from '../support/consumerProject';
import { allReadmeBlocks, readmeTsconfig, type ReadmeBlock } from '../support/readmeBlocks';
import { runTracingModuleContract } from './tracingModuleContract';

/**
 * The other end of what `installLines.test.ts` tries: one consumer project on the oldest versions the
 * requirements table names as tested (inversify 7, TypeScript 5.9, `@types/node` 20) plus TypeScript 7.0.2,
 * every version pinned. Every program of every README is type-checked by both compilers and run (as
 * TypeScript 5.9 emits it) in each module system it is written for; tracingModule's contract runs on
 * inversify 7 through both entry points; and the public types of every package but `@tracery/fc` compile
 * without `@types/node` in the project at all.
 */
type ProgramBlock = Extract<ReadmeBlock, { kind: 'program' }>;

const PINNED = [
  '@opentelemetry/api@1.9.0',
  '@opentelemetry/sdk-trace-node@2.12.0',
  'inversify@7.11.0',
  'reflect-metadata@0.2.2',
  'opentracing@0.14.7',
  'typescript@5.9.3',
  'typescript7@npm:typescript@7.0.2',
];
const TYPES_NODE = '@types/node@20.19.43';

/** Every public entry point whose types must need nothing of `@types/node`. */
const NODE_FREE_ENTRIES = [
  '@tracery/commons',
  '@tracery/core',
  '@tracery/core/inversify',
  '@tracery/core/testing',
  '@tracery/exporters',
  '@tracery/opentracing',
];

let work: string;
let project: ConsumerProject;
let install: { status: number | null; output: string };

beforeAll(() => {
  work = scratchDir('tracery-pinned-');
  const tarballs = packAll(work);
  project = new ConsumerProject(work, 'pinned', tarballs, work);
  const packages = TRACERY_PACKAGES.map((name) => `@tracery/${name}`);
  install = project.install(`npm install ${[...packages, ...PINNED].join(' ')}`);
}, 600_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('a consumer project on the pinned versions', () => {
  it('installs from the registry, every range met (npm ls --all)', () => {
    expect({ status: install.status, problems: project.listProblems() }).toEqual({ status: 0, problems: [] });
    expect(project.installedVersion('inversify')).toBe('7.11.0');
  });

  describe('when every README program is compiled there, with @types/node 20', () => {
    // In a folder of its own: the project's root node_modules has no @types/node (see below).
    let withNode: string;
    const programs = allReadmeBlocks().filter((block): block is ProgramBlock => block.kind === 'program');
    const errors: Record<string, string[]> = { 'typescript 5.9.3': [], 'typescript 7.0.2': [] };
    let runs: ProgramRun[];

    beforeAll(async () => {
      const types = new ConsumerProject(project.dir, 'with-node', new Map(), work);
      withNode = types.dir;
      expect(types.install(`npm install ${TYPES_NODE}`).status).toBe(0);
      for (const system of writePrograms(withNode, programs, readmeTsconfig())) {
        errors['typescript 7.0.2'].push(
          ...compile(tscOf(project.dir, 'typescript7'), withNode, system, ['--noEmit']),
        );
        errors['typescript 5.9.3'].push(...compile(tscOf(project.dir), withNode, system));
      }
      runs = await runPrograms(
        withNode,
        programs.flatMap((block) => block.modules.map((system) => ({ system, block }))),
      );
    }, 600_000);

    it('type-checks them with TypeScript 5.9 and 7.0 (skipLibCheck false), CommonJS and ESM', () => {
      expect(errors).toEqual({ 'typescript 5.9.3': [], 'typescript 7.0.2': [] });
    });

    it('runs each to a clean exit: status 0, nothing on stderr', () => {
      expect(runs.filter((run) => run.code !== 0 || run.stderr !== '')).toEqual([]);
      expect(runs.length).toBe(programs.reduce((count, block) => count + block.modules.length, 0));
    });
  });

  it("keeps tracingModule's contract with inversify 7, through the CommonJS and the ESM entry", () => {
    expect(runTracingModuleContract(project.dir)).toEqual({ failed: 0, passed: expect.any(Number) });
  }, 120_000);

  describe('when @types/node is not installed', () => {
    it.each(['cjs', 'esm'] as const)(
      'compiles every public entry point but @tracery/fc, with TypeScript 5.9 and 7.0 (%s)',
      (system) => {
        const dir = path.join(project.dir, 'without-node');
        const root = path.join(dir, system);
        fs.mkdirSync(path.join(root, 'src'), { recursive: true });
        fs.writeFileSync(
          path.join(root, 'package.json'),
          JSON.stringify({ type: system === 'esm' ? 'module' : 'commonjs' }),
        );
        const base = readmeTsconfig() as { compilerOptions: Record<string, unknown> };
        const { types: _types, ...options } = base.compilerOptions;
        fs.writeFileSync(
          path.join(root, 'tsconfig.json'),
          JSON.stringify({ ...base, compilerOptions: { ...options, noEmit: true } }),
        );
        fs.writeFileSync(
          path.join(root, 'src', 'entries.ts'),
          NODE_FREE_ENTRIES.map((entry, index) => `import * as entry${index} from '${entry}';`).join('\n') +
            `\nexport const entries = [${NODE_FREE_ENTRIES.map((_, index) => `entry${index}`).join(', ')}];\n`,
        );
        expect(fs.existsSync(path.join(project.dir, 'node_modules', '@types', 'node'))).toBe(false);
        expect({
          'typescript 5.9.3': compile(tscOf(project.dir), dir, system),
          'typescript 7.0.2': compile(tscOf(project.dir, 'typescript7'), dir, system),
        }).toEqual({ 'typescript 5.9.3': [], 'typescript 7.0.2': [] });
      },
      120_000,
    );
  });
});
