import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import { createExporter, ExporterConfigError, type ExporterConfig } from '@tracery/exporters';
import { exportOnce } from './support/exportOnce';
import { recordSampleTrace } from './support/sampleTrace';

const SRC_INDEX = path.resolve(__dirname, '..', 'src', 'index.ts');

/**
 * In a fresh Node process (plain CommonJS `require`, TypeScript stripped by esbuild on load), requires the
 * package and creates an exporter for `config`, then lists every file that got loaded.
 */
function filesLoadedFor(config: ExporterConfig | null, thenRun = ''): string[] {
  const script = `
    const fs = require('node:fs');
    const esbuild = require('esbuild');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node18' });
      module._compile(code, filename);
    };
    const exporters = require(${JSON.stringify(SRC_INDEX)});
    const config = ${JSON.stringify(config)};
    if (config) exporters.createExporter(config);
    ${thenRun}
    process.stdout.write(JSON.stringify(Object.keys(require.cache).map((f) => f.replace(/\\\\/g, '/'))));
  `;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH },
  });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

/** The exporter-related packages `createExporter(config)` loads (OTel exporters and OTLP parts, thrift libraries). */
function modulesLoadedFor(config: ExporterConfig | null): string[] {
  const loaded = new Set<string>();
  for (const file of filesLoadedFor(config)) {
    const m = file.match(
      /node_modules\/(@opentelemetry\/(?:exporter-[^/]+|otlp-[^/]+)|thrift|thriftrw|jaeger-client)\//,
    );
    if (m) loaded.add(m[1]);
  }
  return [...loaded].sort();
}

/** The files of `@opentelemetry/otlp-transformer` that `createExporter(config)` loads. */
function transformerFilesLoadedFor(config: ExporterConfig): string[] {
  return filesLoadedFor(config).filter((f) => f.includes('/@opentelemetry/otlp-transformer/'));
}

/** The exporter classes' own modules among the files loaded (`src/jaeger/JaegerHttpExporter.ts`, ...). */
function exporterClassFilesLoaded(thenRun = ''): string[] {
  return filesLoadedFor(null, thenRun)
    .map(
      (file) =>
        /\/src\/((?:jaeger|otlp|zipkin|console|memory|fanout|none)\/\w+Exporter)\.ts$/.exec(file)?.[1],
    )
    .filter((file): file is string => file !== undefined)
    .sort();
}

describe(createExporter, () => {
  describe('when a kind is chosen', () => {
    it('loads no exporter package at import time', () => {
      expect(modulesLoadedFor(null)).toEqual([]);
    });

    it('loads none of the exporter classes at import time, though they are exported as values', () => {
      expect(exporterClassFilesLoaded()).toEqual([]);
    });

    it('loads a class the first time it is used, and only that one', () => {
      expect(exporterClassFilesLoaded('({}) instanceof exporters.ZipkinExporter;')).toEqual([
        'zipkin/ZipkinExporter',
      ]);
    });

    it('loads nothing of OTLP, Zipkin or the thrift libraries for a Jaeger collector endpoint', () => {
      expect(modulesLoadedFor({ kind: 'jaeger', endpoint: 'http://127.0.0.1:14268/api/traces' })).toEqual([]);
    });

    it('loads nothing of OTLP, Zipkin or the thrift libraries for a Jaeger agent', () => {
      expect(modulesLoadedFor({ kind: 'jaeger', agent: { host: '127.0.0.1', port: 6831 } })).toEqual([]);
    });

    it.each(['http/protobuf', 'http/json'] as const)(
      "loads only OpenTelemetry's OTLP trace serializer for otlp %s (no exporter package, no metrics or logs)",
      (protocol) => {
        const loaded = modulesLoadedFor({ kind: 'otlp', protocol, url: 'http://127.0.0.1:4318/v1/traces' });
        expect(loaded).toEqual(['@opentelemetry/otlp-transformer']);
        const files = transformerFilesLoadedFor({ kind: 'otlp', protocol });
        expect(
          files.some((f) => f.includes(`/trace/${protocol === 'http/json' ? 'json' : 'protobuf'}/`)),
        ).toBe(true);
        expect(files.filter((f) => /\/(metrics|logs)\//.test(f))).toEqual([]);
      },
    );

    it('loads no exporter package for zipkin (the v2 JSON is written here)', () => {
      expect(modulesLoadedFor({ kind: 'zipkin' })).toEqual([]);
    });

    it.each(['console', 'memory', 'none'] as const)('loads no exporter package for %s', (kind) => {
      expect(modulesLoadedFor({ kind })).toEqual([]);
    });
  });

  describe('when given a jaeger config', () => {
    it('builds the HTTP exporter for an endpoint and the UDP agent exporter for agent', async () => {
      const http = createExporter({ kind: 'jaeger', endpoint: 'http://127.0.0.1:14268/api/traces' });
      const agent = createExporter({ kind: 'jaeger', agent: { host: '127.0.0.1', port: 6831 } });
      expect(http.constructor.name).toBe('JaegerHttpExporter');
      expect(agent.constructor.name).toBe('JaegerAgentExporter');
      await http.shutdown();
      await agent.shutdown();
    });
  });

  describe('when given a memory config', () => {
    it('returns the memory exporter, typed, with its spans readable', async () => {
      const memory = createExporter({ kind: 'memory' });
      await exportOnce(memory, recordSampleTrace());
      expect(memory.getFinishedSpans()).toHaveLength(3);
    });
  });

  describe('when given a list with one config', () => {
    it('returns that exporter itself, not a fan-out', async () => {
      const exporter = createExporter([{ kind: 'none' }]);
      expect((await exportOnce(exporter, recordSampleTrace())).code).toBe(ExportResultCode.SUCCESS);
      expect(exporter.constructor.name).toBe('NoneSpanExporter');
    });
  });

  describe('when a setting is invalid', () => {
    const SECRET = 's3cretTOKEN_value@42';
    it.each<[string, unknown, RegExp]>([
      [
        'an unknown kind',
        { kind: 'jaegr' },
        /kind: must be one of jaeger, otlp, zipkin, console, memory, none, got 'jaegr'/,
      ],
      ['a missing kind', {}, /kind: must be one of .* got a undefined/],
      ['not an object', 'otlp', /must be an exporter config object with a 'kind', got a string/],
      [
        'an unknown setting (typo)',
        { kind: 'otlp', timeout: 5 },
        /otlp\.timeout: unknown setting \(known: kind, url, headers/,
      ],
      [
        'a URL that is not http',
        { kind: 'otlp', url: 'ftp://x/y' },
        /otlp\.url: must be an http:\/\/ or https:\/\/ URL, got scheme 'ftp:'/,
      ],
      [
        'a URL that does not parse',
        { kind: 'zipkin', url: 'not a url' },
        /zipkin\.url: is not a valid absolute URL \(value not shown\)/,
      ],
      [
        'a wrong protocol',
        { kind: 'otlp', protocol: 'grpc' },
        /otlp\.protocol: must be one of 'http\/protobuf', 'http\/json', got 'grpc'/,
      ],
      [
        'a wrong compression',
        { kind: 'otlp', compression: 'br' },
        /otlp\.compression: must be one of 'gzip', 'none', got 'br'/,
      ],
      [
        'a negative timeout',
        { kind: 'otlp', timeoutMs: -1 },
        /otlp\.timeoutMs: must be an integer from 1 to 2147483647 ms, got -1/,
      ],
      [
        'a timeout given as a string',
        { kind: 'zipkin', timeoutMs: '100' },
        /zipkin\.timeoutMs: .* got a string/,
      ],
      [
        'headers that are not an object',
        { kind: 'otlp', headers: 'a=b' },
        /otlp\.headers: must be an object/,
      ],
      [
        'a header value that is not a string',
        { kind: 'otlp', headers: { 'x-n': 1 } },
        /otlp\.headers\['x-n'\]: must be a string, got a number/,
      ],
      [
        'a header name that is not a token',
        { kind: 'otlp', headers: { 'bad name': 'v' } },
        /otlp\.headers: a header name is not a valid HTTP token/,
      ],
      [
        'both endpoint and agent',
        { kind: 'jaeger', endpoint: 'http://a/api/traces', agent: {} },
        /jaeger: give either 'endpoint'/,
      ],
      [
        'a bad agent port',
        { kind: 'jaeger', agent: { port: 70000 } },
        /jaeger\.agent\.port: must be an integer from 1 to 65535, got 70000/,
      ],
      [
        'an unknown agent setting',
        { kind: 'jaeger', agent: { hots: 'x' } },
        /jaeger\.agent\.hots: unknown setting/,
      ],
      [
        'a password without a user',
        { kind: 'jaeger', endpoint: 'http://a/api/traces', password: 'pw' },
        /jaeger\.username: is required when 'password'/,
      ],
      [
        'a console bar width of 0',
        { kind: 'console', barWidth: 0 },
        /console\.barWidth: must be an integer from 1 to 500/,
      ],
      [
        'a console write that is not a function',
        { kind: 'console', write: 'stdout' },
        /console\.write: must be a function/,
      ],
      ['a memory maxSpans of 0', { kind: 'memory', maxSpans: 0 }, /memory\.maxSpans: must be an integer/],
      ['an empty list', [], /an empty list of exporters/],
      [
        'a bad entry in a list',
        [{ kind: 'none' }, { kind: 'otlp', url: 5 }],
        /\[1\]\.url: must be a non-empty URL string, got a number/,
      ],
    ])('throws ExporterConfigError naming the setting for %s', (_label, config, message) => {
      let thrown: unknown;
      try {
        createExporter(config as ExporterConfig);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ExporterConfigError);
      expect((thrown as Error).message).toMatch(message);
    });

    it.each<[string, ExporterConfig]>([
      ['a token in a bad URL', { kind: 'otlp', url: `ftp://h/adapt_${SECRET}/api/otlp/traces` }],
      ['a password in a bad URL', { kind: 'zipkin', url: `gopher://user:${SECRET}@h/x` }],
      ['a query secret in a bad URL', { kind: 'jaeger', endpoint: `file:///x?token=${SECRET}` }],
      [
        'a header value with a newline',
        { kind: 'otlp', headers: { Authorization: `Bearer ${SECRET}\r\nX: y` } },
      ],
      [
        'a password with a newline',
        { kind: 'jaeger', endpoint: 'http://h/api/traces', username: 'u', password: `${SECRET}\n` },
      ],
    ])('never puts the secret in the message for %s', (_label, config) => {
      expect(() => createExporter(config)).toThrow(ExporterConfigError);
      try {
        createExporter(config);
      } catch (err) {
        expect((err as Error).message).not.toContain(SECRET);
      }
    });
  });
});
