import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './bundleSource';
import type { ModuleSystem, ReadmeBlock } from './readmeBlocks';

/**
 * Consumer projects: fresh npm projects outside the repository that install the PACKED packages the way a
 * user installs them from the registry, with `npm install` against the real registry for everything else
 * (CI reaches registry.npmjs.org). The `@tracery/*` tarballs are not on the registry, so a project's
 * `overrides` point every `@tracery/*` name at its tarball (for the dependencies between our packages), and
 * an install line's `@tracery/<name>` becomes the tarball's path; everything else in the line is typed as
 * the README has it.
 */

export const TRACERY_PACKAGES = ['commons', 'core', 'exporters', 'fc', 'opentracing'] as const;

type ProgramBlock = Extract<ReadmeBlock, { kind: 'program' }>;

/** The environment of every npm and node child: nothing of the repository's npm run, no OTel settings. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  // The registry and cache the developer or CI configured for npm, and nothing else of the parent's npm run.
  for (const key of ['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return {
    ...env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'warn',
    ...extra,
  };
}

/** `npm pack` of every package into `dir` (run after `npm run build`); returns each tarball's file name. */
export function packAll(dir: string): Map<string, string> {
  const tarballs = new Map<string, string>();
  for (const name of TRACERY_PACKAGES) {
    const packageDir = path.join(repoRoot, 'packages', name);
    if (!fs.existsSync(path.join(packageDir, 'dist', 'index.d.ts'))) {
      throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first (npm test does)`);
    }
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: packageDir,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    const [result] = JSON.parse(output) as { filename: string }[];
    tarballs.set(`@tracery/${name}`, result.filename);
  }
  return tarballs;
}

/** A consumer project: its directory, with the tarballs in `tarballs/` and overrides pointing at them. */
export class ConsumerProject {
  readonly dir: string;

  constructor(
    parent: string,
    name: string,
    private readonly tarballs: Map<string, string>,
    tarballDir: string,
  ) {
    this.dir = path.join(parent, name);
    fs.mkdirSync(path.join(this.dir, 'tarballs'), { recursive: true });
    const overrides: Record<string, string> = {};
    for (const [pkg, file] of tarballs) {
      fs.copyFileSync(path.join(tarballDir, file), path.join(this.dir, 'tarballs', file));
      overrides[pkg] = `file:tarballs/${file}`;
    }
    fs.writeFileSync(
      path.join(this.dir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', private: true, overrides }, null, 2),
    );
  }

  /**
   * Runs `npm install ...` as written, but for `@tracery/<name>` (with or without a version) replaced by its
   * tarball. Returns npm's exit status and output (bounded: npm that spins on peer conflicts is stopped).
   */
  install(line: string, timeoutMs = 240_000): { status: number | null; output: string; args: string[] } {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'npm' || words[1] !== 'install') throw new Error(`not an npm install line: ${line}`);
    const args = words.slice(1).map((word) => {
      const name = /^(@tracery\/[a-z]+)(@.*)?$/.exec(word)?.[1];
      if (name === undefined) return word;
      const file = this.tarballs.get(name);
      if (file === undefined) throw new Error(`${line}: ${name} is not one of the packages`);
      return `./tarballs/${file}`;
    });
    const run = spawnSync('npm', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: cleanEnv(),
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}`, args };
  }

  /** `npm ls --all`: exit status 0 when every installed package satisfies every range (peers included). */
  listProblems(): string[] {
    const run = spawnSync('npm', ['ls', '--all'], { cwd: this.dir, encoding: 'utf8', env: cleanEnv() });
    if (run.status === 0) return [];
    return `${run.stdout}${run.stderr}`.split('\n').filter((line) => /invalid|missing|ERR|UNMET/i.test(line));
  }

  /** The version of `dependency` installed at the top of the project. */
  installedVersion(dependency: string): string {
    const manifest = path.join(this.dir, 'node_modules', dependency, 'package.json');
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
}

/** The directory `tsc` binaries of a TypeScript package installed in `projectDir` (aliases allowed). */
export function tscOf(projectDir: string, packageName = 'typescript'): string {
  return path.join(projectDir, 'node_modules', packageName, 'bin', 'tsc');
}

/**
 * Writes the programs into `<dir>/<module system>/`: `src/*.ts` compiled by the README's tsconfig (as is),
 * `std/*.ts` (standard decorators) by a tsconfig extending it without `experimentalDecorators`, and `js/*.js`
 * type-checked by one extending it with `checkJs`. Each folder has a `package.json` of its module type.
 */
export function writePrograms(
  dir: string,
  blocks: readonly ProgramBlock[],
  tsconfig: Record<string, unknown>,
): ModuleSystem[] {
  const systems = [...new Set(blocks.flatMap((block) => block.modules))];
  for (const system of systems) {
    const root = path.join(dir, system);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ type: system === 'esm' ? 'module' : 'commonjs' }),
    );
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    fs.writeFileSync(
      path.join(root, 'tsconfig.std.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: {
          experimentalDecorators: false,
          emitDecoratorMetadata: false,
          rootDir: 'std',
          outDir: 'dist-std',
        },
        include: ['std'],
      }),
    );
    fs.writeFileSync(
      path.join(root, 'tsconfig.js.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        // JavaScript as its users check it: the API's names and shapes, without strict's demands on untyped code.
        compilerOptions: { allowJs: true, checkJs: true, noEmit: true, strict: false, rootDir: 'js' },
        include: ['js'],
      }),
    );
    for (const block of blocks.filter((candidate) => candidate.modules.includes(system))) {
      const folder = block.language === 'js' ? 'js' : block.standardDecorators ? 'std' : 'src';
      fs.mkdirSync(path.join(root, folder), { recursive: true });
      fs.writeFileSync(path.join(root, folder, `${block.id}.${block.language}`), block.code);
    }
  }
  return systems;
}

/** Where a program block's runnable file is, once compiled. */
export function programFile(dir: string, system: ModuleSystem, block: ProgramBlock): string {
  const root = path.join(dir, system);
  if (block.language === 'js') return path.join(root, 'js', `${block.id}.js`);
  return path.join(root, block.standardDecorators ? 'dist-std' : 'dist', `${block.id}.js`);
}

/** The tsconfig of each folder `writePrograms` makes. */
export const PROGRAM_CONFIGS = ['tsconfig.json', 'tsconfig.std.json', 'tsconfig.js.json'] as const;

/**
 * Type-checks (and, unless `--noEmit` is among `extraArgs`, emits) the programs of one module system with each
 * of its tsconfigs whose folder has files; returns the compiler's error lines (empty: none).
 */
export function compile(tsc: string, dir: string, system: ModuleSystem, extraArgs: string[] = []): string[] {
  const root = path.join(dir, system);
  const errors: string[] = [];
  const folders = { 'tsconfig.json': 'src', 'tsconfig.std.json': 'std', 'tsconfig.js.json': 'js' };
  for (const config of PROGRAM_CONFIGS) {
    if (!fs.existsSync(path.join(root, folders[config]))) continue;
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, config), ...extraArgs], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
      env: cleanEnv(),
    });
    if (run.error) throw run.error;
    if (run.status === 0) continue;
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
    errors.push(...(lines.length > 0 ? lines : [`tsc -p ${config} exited with ${run.status}`]));
  }
  return errors;
}

export interface ProgramRun {
  block: string;
  system: ModuleSystem;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs each program in its own Node process, at most two at a time (each is bounded by `timeoutMs`; a
 * program that does not exit by itself is killed and reported with its signal).
 */
export async function runPrograms(
  dir: string,
  runs: { system: ModuleSystem; block: ProgramBlock }[],
  timeoutMs = 30_000,
): Promise<ProgramRun[]> {
  const results: ProgramRun[] = [];
  const queue = [...runs];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      results.push(await runOne(dir, next.system, next.block, timeoutMs));
    }
  };
  await Promise.all([worker(), worker()]);
  return results.sort((a, b) => `${a.block}:${a.system}`.localeCompare(`${b.block}:${b.system}`));
}

function runOne(
  dir: string,
  system: ModuleSystem,
  block: ProgramBlock,
  timeoutMs: number,
): Promise<ProgramRun> {
  const file = programFile(dir, system, block);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: path.dirname(file),
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolve({ block: block.id, system, code, signal, stdout, stderr });
    });
  });
}

/** A fresh directory under the OS's temporary directory, for one test file. */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
