#!/usr/bin/env node
// The cold start of a traced Function Compute function, as its user sees it: whole Node processes, each started
// the way FC's Node.js runtime starts one, loading a handler file with `require` and taking its `handler` export.
// Measured, interleaved round after round (each round runs every variant once, in rotating order):
// - load: the process from its start to its exit, having loaded the handler file, as added time over bare node
//   (a runtime loading a handler that requires nothing) in the same round, in wall time (seen from here) and in
//   CPU time (the whole process's, read by it at exit). Beside it: `@opentelemetry/sdk-trace-node` alone (the
//   baseline of the ratios) and FC's official sample stack (the SDK + the deprecated exporter-jaeger, exporter
//   created). `@tracery/fc` is measured as a user's index.js loads it, and as esbuild bundles made by the
//   README's recipe (their sizes, and the share of inversify and reflect-metadata in them: none, since nothing on
//   this path uses a container);
// - first invocation: the process from its start to the first result its handler hands back (FC's context pointing
//   at a collector on 127.0.0.1 here, answering 202 as Jaeger does), untraced, the official way (a provider and an
//   exporter made in the call, returning BEFORE its span is sent) and with `tracedHandler` (its span acknowledged by
//   the collector before the result).
// Run: `npm run build && node bench/run.js coldStart`.
'use strict';
const { median } = require('./stats');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
// The README's bundling recipe: esbuild's command line with these flags.
const { flags: BUNDLE_FLAGS } = require('../test/bundle/fcRecipe.json');

const ROUNDS = Number(process.env.COLD_START_ROUNDS || 21);
const WARMUP_ROUNDS = 2;
const root = path.resolve(__dirname, '..');
/** inversify and reflect-metadata, in a bundle's inputs. */
const CONTAINER_PACKAGE = /node_modules\/(inversify|@inversifyjs\/[^/]+|reflect-metadata)\//;
/** What `npx esbuild` runs. */
const ESBUILD = path.join(root, 'node_modules', '.bin', 'esbuild');
// Inside the repository (gitignored), so the handler files resolve packages as a user's project does.
const work = path.join(root, '.bench-tmp', 'cold-start');

/** FC's runtime, reduced to how it loads and calls a handler: `require(file)[handler]`, then one call. */
const RUNTIME = `'use strict';
const [file, mode, endpoint] = process.argv.slice(2);
const report = {};
process.on('exit', () => {
  const usage = process.resourceUsage();
  report.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stdout.write(JSON.stringify(report) + '\\n');
});
const handler = require(file).handler;
report.loadedAt = Number(process.hrtime.bigint()) / 1e6;
if (mode === 'invoke') {
  const id = '4bf92f3577b34da6';
  const context = {
    requestId: 'c0ffee00-0000-4000-8000-000000000001',
    credentials: { accessKeyId: 'LTAI5tBenchBenchBench', accessKeySecret: 'bench-secret-value', securityToken: 'bench-token-value' },
    function: { name: 'cold-start', handler: 'index.handler', memory: 128, timeout: 10 },
    service: { name: 'bench', qualifier: 'LATEST' },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    tracing: { openTracingSpanContext: id + ':' + id + ':0:1', openTracingSpanBaggages: {}, jaegerEndpoint: endpoint },
  };
  const done = (error, result) => {
    report.resultAt = Number(process.hrtime.bigint()) / 1e6;
    report.result = error ? 'error: ' + String(error) : result;
  };
  const returned = handler(Buffer.from('{"name":"bench"}'), context, done);
  if (returned && typeof returned.then === 'function') returned.then((result) => done(null, result), done);
}
`;

const BARE_HANDLER = `exports.handler = async () => ({ ok: true });\n`;
const SDK_HANDLER = `require('@opentelemetry/sdk-trace-node');\nexports.handler = async () => ({ ok: true });\n`;
const TRACERY_HANDLER = `const { tracedHandler } = require('@tracery/fc');

exports.handler = tracedHandler(async () => ({ ok: true }));
`;
// FC's official Node.js sample: the SDK and the deprecated Jaeger exporter required at the top; in the call, a
// provider and an exporter for context.tracing.jaegerEndpoint, FC's span context split by hand (forced sampled),
// one span, and the result handed back while the span is still being sent.
const OFFICIAL_HANDLER = `const api = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
require('@opentelemetry/sdk-trace-node');
const { JaegerExporter } = require('@opentelemetry/exporter-jaeger');

// The exporter created once at load, as the load-time measurement counts it.
new JaegerExporter({ endpoint: 'http://127.0.0.1:14268/api/traces' });

exports.handler = async (event, context) => {
  const exporter = new JaegerExporter({ endpoint: context.tracing.jaegerEndpoint, serviceName: 'bench' });
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('fc-official-sample');
  const [traceId, spanId] = context.tracing.openTracingSpanContext.split(':');
  const parent = api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: traceId.padStart(32, '0'),
    spanId: spanId.padStart(16, '0'),
    traceFlags: api.TraceFlags.SAMPLED,
    isRemote: true,
  });
  const span = tracer.startSpan('fc-operation', { kind: api.SpanKind.SERVER }, parent);
  span.end();
  return { ok: true };
};
`;

function writeFiles() {
  fs.mkdirSync(work, { recursive: true });
  const files = {
    'runtime.js': RUNTIME,
    'bare.js': BARE_HANDLER,
    'sdk.js': SDK_HANDLER,
    'official.js': OFFICIAL_HANDLER,
    'tracery.js': TRACERY_HANDLER,
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(work, name), text);
}

/** esbuild bundles made with the README's recipe (its command line); their sizes. */
function writeBundles() {
  const bundles = {
    'bundle-tracery.js': path.join(work, 'tracery.js'),
    'bundle-fc-hello.js': path.join(root, 'examples', 'fc-hello', 'dist', 'index.js'),
  };
  const sizes = {};
  for (const [name, entry] of Object.entries(bundles)) {
    const outfile = path.join(work, 'bundles', name);
    const metafile = `${outfile}.meta.json`;
    execFileSync(
      ESBUILD,
      [entry, ...BUNDLE_FLAGS, `--outfile=${outfile}`, `--metafile=${metafile}`, '--log-level=warning'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const [output] = Object.values(JSON.parse(fs.readFileSync(metafile, 'utf8')).outputs);
    const containerBytes = Object.entries(output.inputs)
      .filter(([input]) => CONTAINER_PACKAGE.test(input))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    sizes[name] = { bytes: fs.statSync(outfile).size, containerBytes };
  }
  return sizes;
}

function startCollector() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/api/traces`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

/** One whole process: its wall time from spawn to exit, and what it reported. */
function runProcess({ file }, mode, endpoint) {
  const args = [path.join(work, 'runtime.js'), file, mode, endpoint ?? ''];
  return new Promise((resolve, reject) => {
    const startedAt = Number(process.hrtime.bigint()) / 1e6;
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitedAt = Number(process.hrtime.bigint()) / 1e6;
      let report;
      try {
        report = JSON.parse(stdout.trim().split('\n').pop());
      } catch {
        reject(new Error(`${path.basename(file)} (${mode}) printed no report: ${stderr.trim()}`));
        return;
      }
      if (code !== 0 || (mode === 'invoke' && typeof report.resultAt !== 'number')) {
        reject(new Error(`${path.basename(file)} (${mode}) failed (exit ${code}): ${stderr.trim()}`));
        return;
      }
      resolve({
        wallMs: exitedAt - startedAt,
        cpuMs: report.cpuMs,
        toResultMs: mode === 'invoke' ? report.resultAt - startedAt : undefined,
        result: report.result,
      });
    });
  });
}

async function main() {
  writeFiles();
  const sizes = writeBundles();
  const collector = await startCollector();
  const at = (name) => path.join(work, name);
  const bundle = (name) => path.join(work, 'bundles', name);
  const loads = {
    bare: { file: at('bare.js') },
    sdk: { file: at('sdk.js') },
    official: { file: at('official.js') },
    tracery: { file: at('tracery.js') },
    bundleTracery: { file: bundle('bundle-tracery.js') },
    bundleFcHello: { file: bundle('bundle-fc-hello.js') },
  };
  const invocations = {
    untraced: { file: at('bare.js') },
    official: { file: at('official.js') },
    tracery: { file: at('tracery.js') },
    bundleFcHello: { file: bundle('bundle-fc-hello.js') },
  };
  const runs = [
    ...Object.entries(loads).map(([name, variant]) => ({ key: `load/${name}`, variant, mode: 'load' })),
    ...Object.entries(invocations).map(([name, variant]) => ({
      key: `invoke/${name}`,
      variant,
      mode: 'invoke',
    })),
  ];
  const samples = Object.fromEntries(runs.map((run) => [run.key, []]));
  const results = {};
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(i + round) % runs.length];
      const sample = await runProcess(run.variant, run.mode, collector.url);
      if (round >= WARMUP_ROUNDS) samples[run.key].push(sample);
      results[run.key] = sample.result;
    }
  }
  collector.close();

  const loadAverage = os.loadavg();
  // Added over bare node, per round (both processes ran moments apart), then the median over the rounds.
  const added = (name, key) =>
    median(samples[`load/${name}`].map((sample, round) => sample[key] - samples['load/bare'][round][key]));
  const toResult = (name) => median(samples[`invoke/${name}`].map((sample) => sample.toResultMs));
  const kib = (bytes) => (bytes / 1024).toFixed(0);
  const labels = {
    sdk: "require('@opentelemetry/sdk-trace-node')",
    official: "FC's official sample stack (SDK + exporter-jaeger, exporter created)",
    tracery: "an FC user's index.js: require('@tracery/fc') + tracedHandler(...)",
    bundleTracery: `the same index.js as an esbuild bundle (${kib(sizes['bundle-tracery.js'].bytes)} KiB)`,
    bundleFcHello: `examples/fc-hello (tracedHandler + @Traced) as an esbuild bundle (${kib(sizes['bundle-fc-hello.js'].bytes)} KiB)`,
  };
  const rows = [
    {
      name: 'bare node (a runtime loading an empty handler), wall',
      value: median(samples['load/bare'].map((s) => s.wallMs)),
      unit: 'ms',
    },
    { name: 'bare node, CPU', value: median(samples['load/bare'].map((s) => s.cpuMs)), unit: 'ms' },
  ];
  for (const name of Object.keys(labels)) {
    rows.push({ name: `added by ${labels[name]}, wall`, value: added(name, 'wallMs'), unit: 'ms' });
    rows.push({ name: `added by ${labels[name]}, CPU`, value: added(name, 'cpuMs'), unit: 'ms' });
  }
  const invocationLabels = {
    untraced: 'untraced handler',
    official: 'the official way (span NOT acknowledged when the result goes back)',
    tracery: 'tracedHandler (span acknowledged before the result)',
    bundleFcHello: 'examples/fc-hello bundled (3 spans acknowledged before the result)',
  };
  for (const [name, label] of Object.entries(invocationLabels)) {
    rows.push({ name: `first invocation, start to result: ${label}`, value: toResult(name), unit: 'ms' });
  }
  for (const [file, label] of [
    ['bundle-tracery.js', 'the index.js above'],
    ['bundle-fc-hello.js', 'examples/fc-hello'],
  ]) {
    const { bytes, containerBytes } = sizes[file];
    rows.push(
      { name: `bundle size: ${label}`, value: bytes / 1024, unit: 'KiB' },
      { name: `  of it inversify and reflect-metadata`, value: containerBytes / 1024, unit: 'KiB' },
    );
  }
  const bundleBytes = sizes['bundle-tracery.js'].bytes;

  const sdkAdded = (key) => added('sdk', key);
  const ratio = (name, key) => added(name, key) / sdkAdded(key);
  const limitRatio = (name, value, limit, extra = '') => ({
    name,
    value,
    target: `<= ${limit.toFixed(2)}${extra}`,
    pass: value <= limit,
  });
  const firstInvocation = toResult('tracery') / toResult('official');
  const ratios = [
    limitRatio(
      "FC user's index.js added cold start / sdk-trace-node added, wall",
      ratio('tracery', 'wallMs'),
      1.1,
    ),
    { name: 'same, CPU', value: ratio('tracery', 'cpuMs'), target: 'for reading' },
    limitRatio(
      'same index.js as an esbuild bundle (a Jaeger-only function) added / sdk-trace-node added, wall',
      ratio('bundleTracery', 'wallMs'),
      0.5,
    ),
    { name: 'same, CPU', value: ratio('bundleTracery', 'cpuMs'), target: 'for reading' },
    {
      name: 'that bundle, KiB',
      value: bundleBytes / 1024,
      target: '<= 600',
      pass: bundleBytes <= 600 * 1024,
    },
    {
      name: 'examples/fc-hello bundled (tracedHandler + @Traced, core loaded at start) added / sdk-trace-node added, wall',
      value: ratio('bundleFcHello', 'wallMs'),
      target: 'for reading',
    },
    {
      name: "FC's official sample stack added / sdk-trace-node added, wall",
      value: ratio('official', 'wallMs'),
      target: 'for comparison',
    },
    limitRatio(
      'first invocation, start to result: tracedHandler (acknowledged) / the official way (not acknowledged)',
      firstInvocation,
      1.0,
    ),
  ];
  const report = {
    title: 'Cold start of a traced FC function: whole processes',
    description:
      `${ROUNDS} rounds (after ${WARMUP_ROUNDS} warm-up rounds), each running every variant once as a fresh Node ` +
      "process, in rotating order. A process is a stand-in for FC's Node.js runtime: it `require`s a handler file " +
      'and takes its `handler` export (load), or also calls it once with an FC context pointing at a Jaeger stand-in ' +
      'on 127.0.0.1 (first invocation). "Added" = the process\'s time (spawn to exit, wall; or its own CPU time ' +
      'at exit) minus that of bare node (the same runtime loading an empty handler) in the same round, median over ' +
      'the rounds; ratios are to what `@opentelemetry/sdk-trace-node` alone adds. First invocation: spawn to the ' +
      `handler's result, median. Bundles: the README's recipe, \`esbuild <entry> ${BUNDLE_FLAGS.join(' ')}\`. ` +
      `Load average at the end: ${loadAverage.map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs.`,
    rows,
    ratios,
    notes: [
      `Results handed back: ${JSON.stringify(results['invoke/tracery'])} (tracedHandler), ` +
        `${JSON.stringify(results['invoke/official'])} (official way).`,
    ],
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
