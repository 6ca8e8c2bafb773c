import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { repoRoot } from '../support/bundleSource';
import { killChildren, startNode } from '../support/childProcess';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

const EXAMPLE_SRC = path.join(repoRoot, 'examples', 'jaeger-client-migration', 'src');

describe('examples/jaeger-client-migration bundled with esbuild', () => {
  let workDir: string;
  let collector: FakeJaegerCollector;
  let metafile: Metafile;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(repoRoot, 'packages', 'opentracing', 'dist', 'index.js'))) {
      throw new Error('packages/opentracing/dist is missing: run `npm run build` first (npm test does)');
    }
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-bundle-opentracing-'));
    collector = await startFakeJaegerCollector();
    const result = await build({
      // main.js starts server.js and client.js from its own directory: one file each.
      entryPoints: ['main', 'server', 'client'].map((name) => path.join(EXAMPLE_SRC, `${name}.js`)),
      outdir: workDir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      metafile: true,
      logLevel: 'silent',
      // As in a user's project: packages resolved through node_modules (their builds), not the repository's
      // tsconfig paths to their sources.
      tsconfigRaw: {},
    });
    metafile = result.metafile;
  });

  afterAll(async () => {
    await killChildren();
    await collector?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('is one self-contained file per process, with @tracery/opentracing and opentracing inside, without thrift or jaeger-client', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => /node_modules\/(thrift|thriftrw|jaeger-client)\//.test(input))).toEqual(
      [],
    );
    expect(inputs.some((input) => input.includes('packages/opentracing/dist/'))).toBe(true);
    for (const file of ['server.js', 'client.js']) {
      const code = fs.readFileSync(path.join(workDir, file), 'utf8');
      expect(code).not.toMatch(/require\(["'](@tracery|@opentelemetry)\/|require\(["']opentracing["']\)/);
    }
  });

  it('runs both processes from a directory without node_modules and sends one trace to the collector', async () => {
    const run = startNode([path.join(workDir, 'main.js')], {
      cwd: workDir,
      env: { PATH: process.env.PATH, COLLECTOR_URL: collector.url },
      deadlineMs: 30_000,
    });
    const { code } = await run.exited;
    expect({ code, stderr: run.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(run.lines).toContain('[shop] price for acme: 90.5');
    const spans = collector.spans();
    expect(spans.map((span) => span.operationName).sort()).toEqual([
      'GET /price',
      'GET /price',
      'checkout',
      'coupon.check',
      'price.lookup',
      'receipt.send',
    ]);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
  });
});
