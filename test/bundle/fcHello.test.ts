import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { killChildren, startNode } from '../support/childProcess';
import { exampleScript } from '../support/examples';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

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
    const result = await build({
      entryPoints: {
        index: exampleScript('fc-hello', 'index.js'),
        callback: exampleScript('fc-hello', 'callback.js'),
      },
      outdir: workDir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      metafile: true,
      logLevel: 'silent',
    });
    metafile = result.metafile;
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
