import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Each public entry point of the repository's packages, as its TypeScript source. */
const ENTRY_SOURCES: Record<string, string> = {
  '@tracery/commons': 'packages/commons/src/index.ts',
  '@tracery/core': 'packages/core/src/index.ts',
  '@tracery/core/inversify': 'packages/core/src/inversify/index.ts',
  '@tracery/core/provider': 'packages/core/src/provider/index.ts',
  '@tracery/core/testing': 'packages/core/src/testing/index.ts',
  '@tracery/exporters': 'packages/exporters/src/index.ts',
  '@tracery/exporters/jaeger': 'packages/exporters/src/jaeger/index.ts',
  '@tracery/exporters/otlp': 'packages/exporters/src/otlp/index.ts',
  '@tracery/exporters/zipkin': 'packages/exporters/src/zipkin/index.ts',
  '@tracery/fc': 'packages/fc/src/index.ts',
  '@tracery/opentracing': 'packages/opentracing/src/index.ts',
};

/** What `body` loaded in a fresh process: files through `require`, and Node's own modules. */
function loadedBy(body: string): { files: string[]; builtins: string[] } {
  const script = `
    const fs = require('node:fs');
    const Module = require('node:module');
    const esbuild = require('esbuild');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
        loader: 'ts', format: 'cjs', target: 'node18',
        tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
      });
      module._compile(code, filename);
    };
    const sources = ${JSON.stringify(
      Object.fromEntries(
        Object.entries(ENTRY_SOURCES).map(([name, file]) => [name, path.join(REPO_ROOT, file)]),
      ),
    )};
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return sources[request] ?? resolveFilename.call(this, request, ...rest);
    };
    const before = new Set(Object.keys(require.cache));
    const builtinsBefore = process.moduleLoadList.length;
    (async () => { ${body} })().then(
      () => process.stdout.write(JSON.stringify({
        files: Object.keys(require.cache).filter((f) => !before.has(f)),
        builtins: process.moduleLoadList.slice(builtinsBefore)
          .filter((entry) => entry.startsWith('NativeModule '))
          .map((entry) => entry.slice('NativeModule '.length)),
      })),
      (error) => { console.error(error); process.exitCode = 1; },
    );
  `;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH },
  });
  if (child.status !== 0) throw new Error(`child failed (${child.status ?? child.signal}): ${child.stderr}`);
  return JSON.parse(child.stdout) as { files: string[]; builtins: string[] };
}

/**
 * Runs `body` (the body of an async function, CommonJS: `require` the packages by their public names) in a
 * fresh Node process and returns every file `body` loaded through `require` (not the loader's own, esbuild's).
 * The packages are their TypeScript sources, stripped by esbuild on load (no build needed); their dependencies
 * are the installed ones.
 */
export function filesLoadedBy(body: string): string[] {
  return loadedBy(body).files;
}

/** Node's own modules (`tls`, `https`, `internal/...`) that `body` loaded, run as `filesLoadedBy` runs it. */
export function builtinModulesLoadedBy(body: string): string[] {
  return loadedBy(body).builtins;
}

/** The installed packages (`name` or `@scope/name`) that `files` come from, sorted, each once. */
export function packagesOf(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(
      file,
    );
    if (match) names.add(match[1].replace(/\\/g, '/'));
  }
  return [...names].sort();
}

/** Tracery's own source files among `files`, as `<package>/<path without .ts>` (e.g. `fc/index`), sorted. */
export function traceryModulesOf(files: readonly string[]): string[] {
  const sources: string[] = [];
  for (const file of files) {
    const source = /[\\/]packages[\\/]([^\\/]+)[\\/]src[\\/](.+)\.ts$/.exec(file);
    if (source) sources.push(`${source[1]}/${source[2].replace(/\\/g, '/')}`);
  }
  return sources.sort();
}

/** inversify and what it brings: its `@inversifyjs/*` parts and the `reflect-metadata` polyfill. */
export function containerPackagesOf(files: readonly string[]): string[] {
  return packagesOf(files).filter((name) => /^(inversify|@inversifyjs\/.+|reflect-metadata)$/.test(name));
}
