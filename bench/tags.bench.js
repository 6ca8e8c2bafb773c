// @tracery/core: what a huge @SpanTag value costs a traced call. The same traced method (recording span,
// batch processor, an exporter that drops) is called with a 40 MB Buffer, a 40 MB Uint8Array and a
// 1,000,000-element array as its tagged argument, and with a 40-byte Buffer, a 40-byte Uint8Array and a
// 40-element array: time per call and memory each call allocates, big against small, in the same run.
// Plain CommonJS on the BUILT package: `npx tsc -b tsconfig.build.json && node --expose-gc bench/tags.bench.js`.
'use strict';
const { median } = require('./stats');
/* global Buffer, setImmediate */
const { context, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const core = require('../packages/core/dist');

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (bench/run.js does)');

/** Calls per timed chunk; between chunks the event loop turns so the batch processor can drain. */
const CHUNK = Number(process.env.BENCH_CHUNK ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP_ROUNDS = 5;
/** Single calls measured for memory, per variant. */
const MEMORY_SAMPLES = Number(process.env.BENCH_MEMORY_SAMPLES ?? 25);
const MB = 1024 * 1024;

const droppingExporter = {
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

/** `@Traced() upload(@SpanTag('upload.body') body) { ... }`, applied as TypeScript's legacy decorators do. */
class Uploads {
  upload(body) {
    return body.length;
  }
}
core.SpanTag('upload.body')(Uploads.prototype, 'upload', 0);
const descriptor = Object.getOwnPropertyDescriptor(Uploads.prototype, 'upload');
Object.defineProperty(
  Uploads.prototype,
  'upload',
  core.Traced()(Uploads.prototype, 'upload', descriptor) ?? descriptor,
);

const filled = (bytes) => bytes.fill(0xab);
const pairs = [
  { name: 'Buffer', big: filled(Buffer.allocUnsafe(40 * MB)), small: filled(Buffer.allocUnsafe(40)) },
  { name: 'Uint8Array', big: filled(new Uint8Array(40 * MB)), small: filled(new Uint8Array(40)) },
  {
    name: 'array',
    big: Array.from({ length: 1_000_000 }, (_, i) => i),
    small: Array.from({ length: 40 }, (_, i) => i),
  },
];
const label = (pair, size) =>
  pair.name === 'array'
    ? `${size === 'big' ? '1,000,000' : '40'}-element array`
    : `${size === 'big' ? '40 MB' : '40-byte'} ${pair.name}`;

const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
/** The tag value of the last span that ended, to report what a call records. */
let lastRecorded;
const lastTagKeeper = {
  onStart() {},
  onEnd(span) {
    lastRecorded = span.attributes['upload.body'];
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
const provider = new NodeTracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new BatchSpanProcessor(droppingExporter, { maxQueueSize: 65536 }), lastTagKeeper],
});
trace.setGlobalTracerProvider(provider);

// One calling loop per variant, compiled separately, so no call site sees more than one argument shape.
const newLoop = () =>
  new Function(
    'instance',
    'argument',
    'count',
    'let sum = 0; for (let i = 0; i < count; i++) sum += instance.upload(argument); return sum;',
  );
const instance = new Uploads();
const variants = pairs.flatMap((pair) =>
  ['big', 'small'].map((size) => ({ key: `${pair.name}/${size}`, argument: pair[size], loop: newLoop() })),
);

let sink = 0;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Nanoseconds per call over one chunk. */
async function timeChunk(variant) {
  await turn();
  const start = process.hrtime.bigint();
  sink += variant.loop(instance, variant.argument, CHUNK);
  return Number(process.hrtime.bigint() - start) / CHUNK;
}

const usedBytes = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
};

/**
 * Bytes one call allocates (heap and external), the span it records included: collected before, not
 * during (a call that allocates far less than the young generation does not trigger a collection).
 */
async function allocatedByOneCall(variant) {
  await turn();
  globalThis.gc();
  const before = usedBytes();
  sink += variant.loop(instance, variant.argument, 1);
  return usedBytes() - before;
}

/** A recorded attribute's size: characters of a string, elements of an array. */
const sizeOf = (value) => (typeof value === 'string' || Array.isArray(value) ? value.length : 0);
const unitOf = (value) => (Array.isArray(value) ? 'elements' : 'characters');

async function main() {
  const time = {};
  const memory = {};
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Rotating order within a round: no variant always runs first after the event-loop turn.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      const ns = await timeChunk(variant);
      if (round >= WARMUP_ROUNDS) (time[variant.key] ??= []).push(ns);
    }
  }
  for (let sample = 0; sample < MEMORY_SAMPLES; sample++) {
    for (const variant of variants) (memory[variant.key] ??= []).push(await allocatedByOneCall(variant));
  }
  await provider.forceFlush();

  const recorded = {};
  for (const variant of variants) {
    variant.loop(instance, variant.argument, 1);
    recorded[variant.key] = lastRecorded;
  }
  trace.disable();
  await provider.shutdown();

  const roundRatio = (a, b) => median(time[a].map((value, round) => value / time[b][round]));
  const rows = [];
  const ratios = [];
  for (const pair of pairs) {
    const big = `${pair.name}/big`;
    const small = `${pair.name}/small`;
    rows.push(
      { name: `time: ${label(pair, 'big')}`, value: median(time[big]), unit: 'ns/call' },
      { name: `time: ${label(pair, 'small')}`, value: median(time[small]), unit: 'ns/call' },
      { name: `allocated: ${label(pair, 'big')}`, value: median(memory[big]) / 1024, unit: 'KiB/call' },
      { name: `allocated: ${label(pair, 'small')}`, value: median(memory[small]) / 1024, unit: 'KiB/call' },
      { name: `recorded: ${label(pair, 'big')}`, value: sizeOf(recorded[big]), unit: unitOf(recorded[big]) },
    );
    const timeRatio = roundRatio(big, small);
    ratios.push({
      name: `time: ${label(pair, 'big')} / ${label(pair, 'small')}`,
      value: timeRatio,
      target: '<= 2.00',
      pass: timeRatio <= 2,
    });
    const added = (median(memory[big]) - median(memory[small])) / 1024;
    ratios.push({
      name: `memory added (KiB): ${label(pair, 'big')} - ${label(pair, 'small')}`,
      value: added,
      target: '<= 1024 (1 MB)',
      pass: added <= 1024,
    });
  }

  const report = {
    title: '@tracery/core: cost of a huge @SpanTag value',
    description:
      'A traced method with `@SpanTag` on its argument, recording span (AlwaysOn sampler, BatchSpanProcessor, ' +
      'an exporter that drops), called with a big and a small value of each kind; default length limit ' +
      `(${core.DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT}). Time: median ns per call over ${ROUNDS} rounds (after ` +
      `${WARMUP_ROUNDS} warm-up rounds) of ${CHUNK} calls per variant, variants interleaved in rotating order; ` +
      'ratios are the median of the per-round ratios. Memory: heap + external bytes one call allocates (a full ' +
      `collection before it, none during), median of ${MEMORY_SAMPLES} single calls per variant; "memory ` +
      'added" is the big median minus the small one. The values themselves are allocated once, before.',
    rows,
    ratios,
    notes: [
      'Buffer and Uint8Array values are written as `<Kind N bytes: hex...>` of their first bytes only; arrays ' +
        'keep their first 128 elements (see the core README, "Attribute values").',
      `checksum ${sink % 1000}`,
    ],
  };
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
