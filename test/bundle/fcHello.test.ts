import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Metafile } from 'esbuild';
import { repoRoot } from '../support/bundleSource';
import { killChildren, startNode } from '../support/childProcess';
import { exampleScript } from '../support/examples';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

/** The README's bundling recipe: `npx esbuild <handler file> <these flags> --outfile=...`. */
const RECIPE = (
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fcRecipe.json'), 'utf8')) as { flags: string[] }
).flags;
/** Largest bundle of a Jaeger-only function, in bytes: what the recipe promises. */
const MAX_BUNDLE_BYTES = 600 * 1024;
/** inversify and reflect-metadata: a function that uses no container must carry none of them. */
const CONTAINER_PACKAGE = /node_modules\/(inversify|@inversifyjs\/[^/]+|reflect-metadata)\//;

/**
 * What FC runs: a runner playing FC's Node.js runtime, requiring the bundled handler file and calling it with
 * an FC-shaped context (FC's span context, its Jaeger endpoint), from a directory with no node_modules.
 */
const RUNTIME = `
const [file, spanContext, endpoint] = process.argv.slice(2);
const { handler } = require(file);
const context = {
  requestId: 'c0ffee00-0000-4000-8000-000000000001',
  credentials: { accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'token' },
  function: { name: 'fc-hello', handler: 'index.handler', memory: 128, timeout: 10 },
  service: { name: 'examples', qualifier: 'LATEST' },
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
  tracing: { openTracingSpanContext: spanContext, openTracingSpanBaggages: {}, jaegerEndpoint: endpoint },
};
const event = Buffer.from(JSON.stringify({ name: 'bundle' }));
const done = (error, result) => {
  if (error) { console.error(String(error)); process.exitCode = 1; return; }
  console.log('RESULT ' + JSON.stringify(result));
};
if (handler.length >= 3) handler(event, context, done);
else handler(event, context).then((result) => done(null, result), done);
`;

describe('examples/fc-hello bundled with esbuild', () => {
  let workDir: string;
  let collector: FakeJaegerCollector;
  let metafile: Metafile;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-bundle-'));
    collector = await startFakeJaegerCollector();
    // The recipe as a user runs it (esbuild's command line), one bundle per handler file.
    const metafilePath = path.join(workDir, 'meta.json');
    execFileSync(
      path.join(repoRoot, 'node_modules', '.bin', 'esbuild'),
      [
        exampleScript('fc-hello', 'index.js'),
        exampleScript('fc-hello', 'callback.js'),
        ...RECIPE,
        `--outdir=${workDir}`,
        `--metafile=${metafilePath}`,
        '--log-level=warning',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    metafile = JSON.parse(fs.readFileSync(metafilePath, 'utf8')) as Metafile;
    fs.writeFileSync(path.join(workDir, 'runtime.js'), RUNTIME);
  });

  afterAll(async () => {
    await killChildren();
    await collector?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('is one self-contained file per handler, without thrift, thriftrw or jaeger-client', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => /node_modules\/(thrift|thriftrw|jaeger-client)\//.test(input))).toEqual(
      [],
    );
    expect(fs.existsSync(path.join(workDir, 'node_modules'))).toBe(false);
    const code = fs.readFileSync(path.join(workDir, 'index.js'), 'utf8');
    expect(code).not.toMatch(/require\(["'](@tracery|@opentelemetry)\//);
  });

  describe('when the function exports only to the Jaeger endpoint FC hands over', () => {
    const inputsOf = (bundle: string) => Object.keys(metafile.outputs[bundle].inputs);
    const bundles = () => Object.keys(metafile.outputs).filter((output) => output.endsWith('.js'));

    it('bundles no OTLP, Zipkin, console or metrics code', () => {
      for (const bundle of bundles()) {
        expect(
          inputsOf(bundle).filter(
            (input) =>
              /packages\/exporters\/dist\/(otlp|zipkin|console|config|fanout|memory)\//.test(input) ||
              /node_modules\/@opentelemetry\/(otlp-[^/]+|sdk-metrics|exporter-[^/]+)\//.test(input),
          ),
        ).toEqual([]);
      }
    });

    it('bundles no inversify or reflect-metadata (it uses no container)', () => {
      for (const bundle of bundles())
        expect(inputsOf(bundle).filter((input) => CONTAINER_PACKAGE.test(input))).toEqual([]);
    });

    it(`is at most ${MAX_BUNDLE_BYTES / 1024} KiB`, () => {
      const oversize = bundles()
        .map((bundle) => ({ bundle: path.basename(bundle), bytes: metafile.outputs[bundle].bytes }))
        .filter(({ bytes }) => bytes > MAX_BUNDLE_BYTES);
      expect(oversize).toEqual([]);
    });

    it('is the recipe packages/fc/README.md shows', () => {
      const readme = fs.readFileSync(path.join(repoRoot, 'packages', 'fc', 'README.md'), 'utf8');
      expect(readme).toMatch(new RegExp(`npx esbuild \\S+ ${RECIPE.join(' ')} --outfile=`));
    });
  });

  it.each(['index', 'callback'])(
    "runs the %s handler and exports its spans under FC's span",
    async (file) => {
      const before = collector.spans().length;
      const fcContext = '7d2c4b6a9e8f1a3b:1a2b3c4d5e6f7081:0:1';
      const run = startNode(
        [path.join(workDir, 'runtime.js'), path.join(workDir, `${file}.js`), fcContext, collector.url],
        {
          cwd: workDir,
        },
      );
      const { code } = await run.exited;
      expect({ code, stderr: run.stderr() }).toEqual({ code: 0, stderr: '' });
      expect(run.lines).toContain('RESULT {"greeting":"hello, bundle"}');
      const spans = collector.spans().slice(before);
      const invocation = spans.find((span) => span.operationName === 'fc-hello')!;
      const operation = spans.find((span) => span.operationName === 'fc-operation')!;
      expect(invocation).toMatchObject({
        traceId: '00000000000000007d2c4b6a9e8f1a3b',
        parentSpanId: '1a2b3c4d5e6f7081',
      });
      expect(operation).toMatchObject({ traceId: invocation.traceId, parentSpanId: invocation.spanId });
      expect(spans.find((span) => span.operationName === 'compose-greeting')).toMatchObject({
        parentSpanId: operation.spanId,
      });
    },
  );
});
