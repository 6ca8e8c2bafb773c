import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Tracery's entry points, as their TypeScript sources (what Jest runs too). */
const SOURCES: Record<string, string> = {
  '@tracery/commons': 'packages/commons/src/index.ts',
  '@tracery/core': 'packages/core/src/index.ts',
  '@tracery/exporters': 'packages/exporters/src/index.ts',
  '@tracery/exporters/jaeger': 'packages/exporters/src/jaeger/index.ts',
  '@tracery/fc': 'packages/fc/src/index.ts',
};

/**
 * Runs `body` (an async function's body, CommonJS) in a fresh Node process, the packages' sources stripped by
 * esbuild on load, and returns what it loaded: the installed packages, and Tracery's source files (`fc/...`).
 */
function loadedBy(body: string): { packages: string[]; sources: string[] } {
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
      Object.fromEntries(Object.entries(SOURCES).map(([name, file]) => [name, path.join(REPO_ROOT, file)])),
    )};
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return sources[request] ?? resolveFilename.call(this, request, ...rest);
    };
    const before = new Set(Object.keys(require.cache));
    (async () => { ${body} })().then(
      () => process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => !before.has(f)))),
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
  const files = (JSON.parse(child.stdout) as string[]).map((file) => file.replace(/\\/g, '/'));
  const packages = new Set<string>();
  const sources: string[] = [];
  for (const file of files) {
    const installed = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(file);
    if (installed) packages.add(installed[1]);
    const source = /\/packages\/([^/]+)\/src\/(.+)\.ts$/.exec(file);
    if (source) sources.push(`${source[1]}/${source[2]}`);
  }
  return { packages: [...packages].sort(), sources: sources.sort() };
}

/** A collector on 127.0.0.1 answering 202, in the child; `endpoint` is its URL. */
const COLLECTOR = `
  const http = require('node:http');
  let batches = 0;
  const collector = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { batches += 1; res.statusCode = 202; res.end(); });
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = 'http://127.0.0.1:' + collector.address().port + '/api/traces';
`;

describe('@tracery/fc', () => {
  describe('when a fresh process requires it and wraps a handler', () => {
    it('loads no OpenTelemetry SDK, no @tracery/core and no exporter: only the API and its own modules', () => {
      const { packages, sources } = loadedBy(`
        const { tracedHandler } = require('@tracery/fc');
        exports.handler = tracedHandler(async () => 'ok');
      `);
      expect(packages).toEqual(['@opentelemetry/api']);
      expect(sources.filter((source) => !/^(fc|commons)\//.test(source))).toEqual([]);
    });
  });

  describe('when FC does not trace the calls', () => {
    it('loads none of them either, however many calls', () => {
      const { packages, sources } = loadedBy(`
        const { tracedHandler, invokeLocal } = require('@tracery/fc');
        const handler = tracedHandler(async () => 'ok');
        for (let i = 0; i < 3; i++) if ((await invokeLocal(handler)) !== 'ok') throw new Error('result');
      `);
      expect(packages).toEqual(['@opentelemetry/api']);
      expect(sources.filter((source) => !/^(fc|commons)\//.test(source))).toEqual([]);
    });
  });

  describe('when the first call is traced', () => {
    let loaded: { packages: string[]; sources: string[] };

    beforeAll(() => {
      loaded = loadedBy(`
        ${COLLECTOR}
        const { tracedHandler, invokeLocal } = require('@tracery/fc');
        const handler = tracedHandler(async () => 'ok');
        const result = await invokeLocal(handler, { tracing: { jaegerEndpoint: endpoint } });
        collector.close();
        if (result !== 'ok' || batches !== 1) throw new Error('result ' + result + ', batches ' + batches);
      `);
    }, 60_000);

    it('loads the SDK then, and sends the span', () => {
      expect(loaded.packages).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node']));
      expect(loaded.sources).toEqual(expect.arrayContaining(['core/index', 'exporters/jaeger/index']));
    });

    it('loads the Jaeger exporter alone: no other exporter kind, no OTLP package', () => {
      const exporterSources = loaded.sources.filter((source) => source.startsWith('exporters/'));
      expect(
        exporterSources.filter((source) => !/^exporters\/(jaeger|export|transport)\//.test(source)),
      ).toEqual([]);
      expect(loaded.packages.filter((name) => /otlp|metrics|zipkin/.test(name))).toEqual([]);
    });
  });
});
