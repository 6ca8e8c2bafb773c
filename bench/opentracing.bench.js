// @tracery/opentracing: the cost of an OpenTracing startSpan + finish on OpenTelemetry, against the same span
// made with the OpenTelemetry API directly, on the same provider (recording: AlwaysOn, batch processor, an
// exporter that drops). jaeger-client (what a migrating user leaves) is measured too, for reading. When
// @opentelemetry/shim-opentracing is installed (`npm i --no-save @opentelemetry/shim-opentracing@2.11.0`), its
// TracerShim is measured on the same provider as well. Plain CommonJS on the BUILT package:
// `npx tsc -b tsconfig.build.json && node --expose-gc bench/opentracing.bench.js` (or `npm run bench`).
'use strict';
const { median } = require('./stats');
/* global setImmediate */
const { context, trace, ROOT_CONTEXT } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const jaeger = require('jaeger-client');
const { OpenTracingTracer } = require('../packages/opentracing/dist');

const CHUNK = Number(process.env.BENCH_CHUNK ?? 1024);
const CHUNKS_PER_ROUND = Number(process.env.BENCH_CHUNKS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP_ROUNDS = 6;

const droppingExporter = {
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new NodeTracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new BatchSpanProcessor(droppingExporter, { maxQueueSize: 65536 })],
});
const otelTracer = provider.getTracer('bench-otel');
const ours = new OpenTracingTracer({ tracerProvider: provider });
const theirs = new jaeger.Tracer('bench', new jaeger.NoopReporter(), new jaeger.ConstSampler(true));

let shim;
try {
  const { TracerShim } = require('@opentelemetry/shim-opentracing');
  shim = new TracerShim(provider.getTracer('bench-shim'));
} catch {
  shim = undefined;
}

// Each variant makes the same span: a child of a given parent, two tags, then ends it.
const variants = {
  otel(parent) {
    otelTracer
      .startSpan('GET /price', { attributes: { 'http.method': 'GET', 'http.status_code': 200 } }, parent)
      .end();
  },
  ours(parent) {
    ours
      .startSpan('GET /price', { childOf: parent, tags: { 'http.method': 'GET', 'http.status_code': 200 } })
      .finish();
  },
  jaegerClient(parent) {
    theirs
      .startSpan('GET /price', { childOf: parent, tags: { 'http.method': 'GET', 'http.status_code': 200 } })
      .finish();
  },
  ...(shim === undefined
    ? {}
    : {
        shim(parent) {
          shim
            .startSpan('GET /price', {
              childOf: parent,
              tags: { 'http.method': 'GET', 'http.status_code': 200 },
            })
            .finish();
        },
      }),
};

/** Each variant's parent: its own kind of span, made once. */
const otelParent = trace.setSpan(ROOT_CONTEXT, otelTracer.startSpan('parent', {}, ROOT_CONTEXT));
const parents = {
  otel: otelParent,
  ours: ours.startSpan('parent'),
  jaegerClient: theirs.startSpan('parent'),
  shim: shim?.startSpan('parent'),
};

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function measure(name) {
  const run = variants[name];
  const parent = parents[name];
  let total = 0n;
  for (let c = 0; c < CHUNKS_PER_ROUND; c++) {
    await turn();
    const start = process.hrtime.bigint();
    for (let i = 0; i < CHUNK; i++) run(parent);
    total += process.hrtime.bigint() - start;
  }
  return Number(total) / (CHUNK * CHUNKS_PER_ROUND);
}

async function main() {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const ratios = { ours: [], jaegerClient: [], shim: [] };
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    const results = {};
    for (const name of order) {
      globalThis.gc?.();
      results[name] = await measure(name);
    }
    if (round < WARMUP_ROUNDS) continue;
    for (const name of names) samples[name].push(results[name]);
    for (const name of Object.keys(ratios))
      if (name in results) ratios[name].push(results[name] / results.otel);
  }
  await provider.shutdown();
  const report = {
    title: '@tracery/opentracing: OpenTracing startSpan + finish',
    description:
      `Median ns per span (ratios: median of the per-round ratios) over ${ROUNDS} rounds (after ${WARMUP_ROUNDS} ` +
      `warm-up rounds), variants interleaved, each ${CHUNKS_PER_ROUND} x ${CHUNK} spans, one process. Each span is ` +
      'a child of a given parent with two tags (a string and an integer), then ended. Recording: AlwaysOn sampler, ' +
      'BatchSpanProcessor, an exporter that drops. "otel" = tracer.startSpan(name, { attributes }, parentContext).end() ' +
      'on the same provider; "ours" = OpenTracingTracer.startSpan(name, { childOf, tags }).finish(); "jaegerClient" = ' +
      'jaeger-client 3.19 with a NoopReporter (not the same pipeline: for reading only)' +
      (shim === undefined
        ? '.'
        : '; "shim" = @opentelemetry/shim-opentracing TracerShim on the same provider.'),
    rows: names.map((name) => ({ name, value: median(samples[name]), unit: 'ns/span' })),
    ratios: [
      {
        name: 'ours / otel',
        value: median(ratios.ours),
        target: '<= 1.5',
        pass: median(ratios.ours) <= 1.5,
      },
      { name: 'jaeger-client / otel (informational)', value: median(ratios.jaegerClient) },
      ...(shim === undefined
        ? []
        : [{ name: 'shim-opentracing / otel (informational)', value: median(ratios.shim) }]),
    ],
    notes: [
      shim === undefined
        ? '@opentelemetry/shim-opentracing is not installed, so it was not measured (see the package README for a run that had it).'
        : '@opentelemetry/shim-opentracing was installed for this run.',
    ],
  };
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
