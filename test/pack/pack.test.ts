import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/bundleSource';

/**
 * `npm pack` of each package, installed into a scratch project that compiles (and runs) against the public
 * types and files of the tarballs.
 *
 * Why the install is done by hand: an `npm install` of the tarballs has to resolve their dependency ranges
 * (`~2.12.0`) against registry metadata, which a CI machine does not have offline after `npm ci` (it caches
 * tarballs by integrity, not the metadata). So the scratch project gets exactly what npm would put on disk
 * for the packages under test: each tarball's `package/` contents extracted to `node_modules/@tracery/<name>`;
 * and for their third-party dependencies, links to the copies the repository's lock file installed (the
 * version each workspace package itself resolves, nested per package as npm nests conflicting versions).
 * What is checked is what a user gets from the tarballs: the `files` list, `main`, `types`, and the public
 * declarations, compiled by `tsc` in a project outside the repository. The same tarballs installed from the
 * registry, as the READMEs' install lines say, are `test/consumers`'.
 */
const PACKAGES = ['commons', 'core', 'exporters', 'fc', 'opentracing'] as const;
const SCRATCH_PEERS = ['@opentelemetry/api', 'inversify', 'reflect-metadata'];
/** The user's own dependencies besides the peers: OpenTracing code imports its constants from `opentracing`. */
const SCRATCH_DEPENDENCIES = ['opentracing'];

interface PackedFile {
  path: string;
}
interface PackResult {
  name: string;
  filename: string;
  files: PackedFile[];
}

/** The directory npm installed `dependency` into, as seen from `fromDir` (Node's lookup through node_modules). */
function installedDir(dependency: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', dependency);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (dir === path.dirname(dir))
      throw new Error(`${dependency} is not installed (looked up from ${fromDir})`);
  }
}

function link(target: string, linkPath: string): void {
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.symlinkSync(target, linkPath, 'dir');
}

describe('npm pack of each package', () => {
  let workDir: string;
  let scratch: string;
  const packed = new Map<string, PackResult>();

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-pack-'));
    scratch = path.join(workDir, 'scratch');
    fs.mkdirSync(path.join(scratch, 'src'), { recursive: true });
    for (const name of PACKAGES) {
      const packageDir = path.join(repoRoot, 'packages', name);
      if (!fs.existsSync(path.join(packageDir, 'dist', 'index.d.ts'))) {
        throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first (npm test does)`);
      }
      const output = execFileSync('npm', ['pack', '--json', '--pack-destination', workDir], {
        cwd: packageDir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      });
      const [result] = JSON.parse(output) as PackResult[];
      packed.set(name, result);

      // What `npm install <tarball>` puts on disk for the package itself.
      const installDir = path.join(scratch, 'node_modules', '@tracery', name);
      fs.mkdirSync(installDir, { recursive: true });
      execFileSync('tar', [
        '-xzf',
        path.join(workDir, result.filename),
        '-C',
        installDir,
        '--strip-components=1',
      ]);

      // Its third-party dependencies, as the lock file installed them for this package.
      const manifest = JSON.parse(fs.readFileSync(path.join(installDir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const dependency of Object.keys(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@tracery/')) continue;
        link(installedDir(dependency, packageDir), path.join(installDir, 'node_modules', dependency));
      }
    }
    // The user's own dependencies: the peers (one @opentelemetry/api per process), and TypeScript's Node types.
    for (const dependency of [...SCRATCH_PEERS, ...SCRATCH_DEPENDENCIES, '@types/node']) {
      link(installedDir(dependency, repoRoot), path.join(scratch, 'node_modules', dependency));
    }
    fs.writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2),
    );
    fs.writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node10',
            strict: true,
            experimentalDecorators: true,
            emitDecoratorMetadata: true,
            esModuleInterop: true,
            skipLibCheck: false,
            types: ['node'],
            outDir: 'dist',
            rootDir: 'src',
          },
          include: ['src'],
        },
        null,
        2,
      ),
    );
  }, 60_000);

  afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** One `tsc` run over both fixtures (checking the libraries' declarations is the slow part: do it once). */
  function tsc(): { status: number | null; errors: string[] } {
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'app.ts'), path.join(scratch, 'src', 'app.ts'));
    // Kept out of the repository's own type-check by its extension: it is meant not to compile.
    fs.copyFileSync(
      path.join(__dirname, 'fixtures', 'misuse.ts.fixture'),
      path.join(scratch, 'src', 'misuse.ts'),
    );
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', scratch],
      {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const errors = (run.stdout + run.stderr).split('\n').filter((line) => /error TS\d+/.test(line));
    return { status: run.status, errors };
  }

  describe.each(PACKAGES)('when @tracery/%s is packed', (name) => {
    it('ships the built code, its declarations and its manifest, and no sources or tests', () => {
      const files = packed.get(name)!.files.map((file) => file.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
      expect(files.filter((file) => /^(src|test)\//.test(file) || /(?<!\.d)\.ts$/.test(file))).toEqual([]);
      expect(files.filter((file) => file.endsWith('.tsbuildinfo'))).toEqual([]);
    });
  });

  describe('when a scratch project compiles against the tarballs', () => {
    let compiled: { status: number | null; errors: string[] };

    beforeAll(() => {
      compiled = tsc();
    }, 120_000);

    it('type-checks the public declarations and a program using the whole public API without an error', () => {
      // Strict mode, full library checking: an error in any shipped .d.ts would show here too.
      expect(compiled.errors.filter((line) => !line.startsWith('src/misuse.ts'))).toEqual([]);
    });

    it('rejects misuse of the public API at each wrong call', () => {
      expect(compiled.status).not.toBe(0);
      expect(compiled.errors.map((line) => /^src\/misuse\.ts\((\d+),/.exec(line)?.[1])).toEqual([
        '6',
        '7',
        '8',
      ]);
    });

    it('runs the compiled program from the installed packages', () => {
      const run = spawnSync(process.execPath, [path.join(scratch, 'dist', 'app.js')], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH },
      });
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { spans: string[] };
      expect(report).toMatchObject({
        result: 'U-1',
        answer: '3:true',
        waterfall: true,
        jaegerContext: '0000000000000abc:0000000000000def:0:1',
        jaegerEntry: true,
        openTracing: { injected: 'uber-trace-id', baggage: 'acme', disabledCloses: true },
      });
      expect(report.spans).toEqual(expect.arrayContaining(['Repo.load', 'Service.run', 'outer', 'ot-span']));
    });
  });
});
