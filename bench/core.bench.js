// @tracery/core: the cost of @Traced against an undecorated method and a hand-written
// tracer.startActiveSpan wrapper, on the same provider, for a recording span (batch processor, an exporter
// that drops), a non-recording span (sampler off), no SDK registered at all (plain, and with two @SpanTags
// against a hand-written wrapper passing the same two attributes), and tracing disabled (against a decorator
// that does nothing). Plain CommonJS on the BUILT package:
// run `npx tsc -b tsconfig.build.json && node --expose-gc bench/core.bench.js` (or `npm run bench`).
'use strict';
const { median } = require('./stats');
/* global setImmediate */
const { context, trace, SpanStatusCode } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
} = require('@opentelemetry/sdk-trace-node');
const esbuild = require('esbuild');
const core = require('../packages/core/dist');

/** Calls per timed chunk; between chunks the event loop turns so the batch processor can drain. */
const CHUNK = Number(process.env.BENCH_CHUNK ?? 2048);
/** Chunks per variant per round. */
const CHUNKS_PER_ROUND = Number(process.env.BENCH_CHUNKS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const WARMUP_ROUNDS = 8;

/** The method's own work: a small computation, about what a thin service method does outside I/O. */
function work(n) {
  let sum = 0;
  for (let i = 0; i < 24; i++) sum += (n * 31 + i) % 7;
  return sum;
}

/** Drops every span: the pipeline's cost stays, the export's does not. */
const droppingExporter = {
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

function decorate(Class, key, decorator) {
  const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, key);
  Object.defineProperty(Class.prototype, key, decorator(Class.prototype, key, descriptor) ?? descriptor);
}

class Undecorated {
  compute(n) {
    return work(n);
  }
}

// What a careful hand-written wrapper does: active span, error recorded, span ended. Its tracer comes from
// trace.getTracer after the mode's provider is registered (a tracer taken from a provider that
// trace.disable() replaced would be a no-op one).
let handTracer = trace.getTracer('bench-hand-wrapped');
class HandWrapped {
  compute(n) {
    return handTracer.startActiveSpan('HandWrapped.compute', (span) => {
      try {
        return work(n);
      } catch (error) {
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

/** The hand-written wrapper with the two attributes a careful hand-writer passes at the start. */
class HandWrappedTags {
  compute(n, order) {
    return handTracer.startActiveSpan(
      'HandWrappedTags.compute',
      { attributes: { 'order.size': n, 'order.id': order.id } },
      (span) => {
        try {
          return work(n);
        } catch (error) {
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

class Decorated {
  compute(n) {
    return work(n);
  }
}
decorate(Decorated, 'compute', core.Traced());

/** `@Traced() compute(@SpanTag('order.size') n, @SpanTag('order.id', 'id') order)`. */
class DecoratedTags {
  compute(n, order) {
    return work(n) + (order.id.length & 0);
  }
}
core.SpanTag('order.size')(DecoratedTags.prototype, 'compute', 0);
core.SpanTag('order.id', 'id')(DecoratedTags.prototype, 'compute', 1);
decorate(DecoratedTags, 'compute', core.Traced());

// The same class with a TC39 standard decorator, compiled here (esbuild, experimentalDecorators off: it
// lowers standard decorators to its own helpers, as TypeScript 5 does without experimentalDecorators).
const { StandardDecorated, StandardNoop } = (() => {
  const source = `module.exports = (Traced: Function, work: (n: number) => number) => {
    class StandardDecorated {
      @Traced()
      compute(n: number) {
        return work(n);
      }
    }
    // A standard decorator that does nothing (keeps the method), lowered by the same helpers.
    const noop = () => undefined;
    class StandardNoop {
      @noop
      compute(n: number) {
        return work(n);
      }
    }
    return { StandardDecorated, StandardNoop };
  };`;
  const { code } = esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'es2022',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: false } },
  });
  // transformSync runs in a worker thread (and esbuild's own process) that would stay alive next to the
  // measurements: stop them.
  esbuild.stop();
  const compiled = { exports: {} };
  new Function('module', 'exports', code)(compiled, compiled.exports);
  return compiled.exports(core.Traced, work);
})();

// Decorated while OTEL_SDK_DISABLED=true: @Traced leaves the method untouched.
class DecoratedEnvDisabled {
  compute(n) {
    return work(n);
  }
}
process.env.OTEL_SDK_DISABLED = 'true';
decorate(DecoratedEnvDisabled, 'compute', core.Traced());
delete process.env.OTEL_SDK_DISABLED;

// Any legacy decorator ends with Object.defineProperty(prototype, key, descriptor) (TypeScript's __decorate
// does), which makes V8 treat the method as a mutable property; this class isolates that cost.
class Redefined {
  compute(n) {
    return work(n);
  }
}
decorate(Redefined, 'compute', (_target, _key, descriptor) => descriptor);

const contextManager = new AsyncLocalStorageContextManager();
const recordingProvider = new NodeTracerProvider({
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new BatchSpanProcessor(droppingExporter, { maxQueueSize: 65536 })],
});
const nonRecordingProvider = new NodeTracerProvider({
  sampler: new AlwaysOffSampler(),
  spanProcessors: [new BatchSpanProcessor(droppingExporter, { maxQueueSize: 65536 })],
});

/**
 * A calling loop of its own per variant (compiled separately, so each call site sees one class only and no
 * variant pays for another's polymorphism).
 */
const newLoop = () =>
  new Function(
    'instance',
    'count',
    'let sum = 0; for (let i = 0; i < count; i++) sum += instance.compute(i); return sum;',
  );
/** The same with a second argument, an order, for the tagged variants. */
const newTaggedLoop = () =>
  new Function(
    'instance',
    'count',
    "const order = { id: 'o-1' }; let sum = 0; for (let i = 0; i < count; i++) sum += instance.compute(i, order); return sum;",
  );
const variants = {
  undecorated: { instance: new Undecorated(), loop: newLoop() },
  handWrapped: { instance: new HandWrapped(), loop: newLoop() },
  handWrappedTags: { instance: new HandWrappedTags(), loop: newTaggedLoop() },
  traced: { instance: new Decorated(), loop: newLoop() },
  tracedTags: { instance: new DecoratedTags(), loop: newTaggedLoop() },
  tracedStandard: { instance: new StandardDecorated(), loop: newLoop() },
  noopStandard: { instance: new StandardNoop(), loop: newLoop() },
  tracedEnvDisabled: { instance: new DecoratedEnvDisabled(), loop: newLoop() },
  redefined: { instance: new Redefined(), loop: newLoop() },
};

// Calls per chunk: a disabled call costs ~1/50 of a traced one, so that mode makes 32 times more calls per
// chunk to time a similar stretch (about a millisecond) and keep timer and scheduling noise small.
const modes = [
  {
    name: 'disabled',
    variants: ['undecorated', 'redefined', 'traced', 'tracedStandard', 'noopStandard', 'tracedEnvDisabled'],
    chunk: CHUNK * 32,
  },
  {
    // Nothing registered: the API's tracers are no-ops (a hand-written wrapper still makes a non-recording span).
    name: 'no-sdk',
    variants: ['undecorated', 'handWrapped', 'traced', 'handWrappedTags', 'tracedTags'],
    chunk: CHUNK * 8,
  },
  {
    name: 'recording',
    variants: ['undecorated', 'handWrapped', 'traced', 'tracedStandard', 'handWrappedTags', 'tracedTags'],
    chunk: CHUNK,
  },
  {
    name: 'non-recording',
    variants: ['undecorated', 'handWrapped', 'traced', 'tracedStandard', 'handWrappedTags', 'tracedTags'],
    chunk: CHUNK,
  },
];

let sink = 0;
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function enterMode(mode) {
  trace.disable();
  // No SDK at all: no tracer provider and no context manager either (as in a program that never set one up).
  context.disable();
  if (mode !== 'no-sdk') context.setGlobalContextManager(contextManager.enable());
  if (mode === 'recording') trace.setGlobalTracerProvider(recordingProvider);
  if (mode === 'non-recording') trace.setGlobalTracerProvider(nonRecordingProvider);
  handTracer = trace.getTracer('bench-hand-wrapped');
  if (mode === 'disabled') {
    // A TracerService with enabled:false turns decorated methods into straight calls while it lives.
    return new core.TracerService({ enabled: false, registerGlobal: false });
  }
  return undefined;
}

/** Nanoseconds per call of `instance.compute`, over CHUNKS_PER_ROUND chunks. */
async function measure(variant, chunk) {
  const { instance, loop } = variants[variant];
  let total = 0n;
  for (let c = 0; c < CHUNKS_PER_ROUND; c++) {
    await turn();
    const start = process.hrtime.bigint();
    sink += loop(instance, chunk);
    total += process.hrtime.bigint() - start;
  }
  return Number(total) / (chunk * CHUNKS_PER_ROUND);
}

async function main() {
  const samples = {};
  // Modes run one after the other (a mode switch flips branches in the wrappers, and a deoptimisation right
  // after it would be charged to whichever variant ran first); within a mode the variants are interleaved,
  // round after round, in rotating order.
  for (const mode of modes) {
    // A full collection per mode only: forced collections between measurements age the code of whichever
    // variant is not running, and its next measurement would pay for re-warming.
    if (globalThis.gc) globalThis.gc();
    const service = await enterMode(mode.name);
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      const order = mode.variants.map((_, i) => mode.variants[(i + round) % mode.variants.length]);
      for (const variant of order) {
        const ns = await measure(variant, mode.chunk);
        if (round >= WARMUP_ROUNDS) (samples[`${mode.name}/${variant}`] ??= []).push(ns);
      }
    }
    if (service !== undefined) await service.shutdown();
  }
  trace.disable();
  await recordingProvider.shutdown();
  await nonRecordingProvider.shutdown();

  const ns = (key) => median(samples[key]);
  // Ratios are taken within each round (both sides measured moments apart), then the median over rounds:
  // on a shared machine, load drifts between rounds far more than within one.
  const roundRatio = (a, b) => median(samples[a].map((value, round) => value / samples[b][round]));
  const rows = Object.keys(samples).map((key) => ({ name: key, value: ns(key), unit: 'ns/call' }));
  const ratio = (name, value, limit) => ({
    name,
    value,
    target: `<= ${limit.toFixed(2)}`,
    pass: value <= limit,
  });
  const ratios = [
    ratio('recording: @Traced / hand-wrapped', roundRatio('recording/traced', 'recording/handWrapped'), 1.0),
    ratio(
      'recording: @Traced (standard decorator) / hand-wrapped',
      roundRatio('recording/tracedStandard', 'recording/handWrapped'),
      1.0,
    ),
    {
      name: 'recording: @Traced with 2 @SpanTags / hand-wrapped with the 2 attributes (informational: the tags are normalised)',
      value: roundRatio('recording/tracedTags', 'recording/handWrappedTags'),
    },
    ratio(
      'non-recording: @Traced / hand-wrapped',
      roundRatio('non-recording/traced', 'non-recording/handWrapped'),
      1.0,
    ),
    ratio(
      'non-recording: @Traced (standard decorator) / hand-wrapped',
      roundRatio('non-recording/tracedStandard', 'non-recording/handWrapped'),
      1.0,
    ),
    {
      name: 'non-recording: @Traced with 2 @SpanTags / hand-wrapped with the 2 attributes (informational: the tags are normalised)',
      value: roundRatio('non-recording/tracedTags', 'non-recording/handWrappedTags'),
    },
    ratio(
      'no SDK registered: @Traced / hand-wrapped',
      roundRatio('no-sdk/traced', 'no-sdk/handWrapped'),
      1.05,
    ),
    ratio(
      'no SDK registered: @Traced with 2 @SpanTags / hand-wrapped with the 2 attributes',
      roundRatio('no-sdk/tracedTags', 'no-sdk/handWrappedTags'),
      1.05,
    ),
    ratio(
      'disabled (enabled:false): @Traced / a no-op decorator',
      roundRatio('disabled/traced', 'disabled/redefined'),
      1.02,
    ),
    ratio(
      'disabled (enabled:false): @Traced (standard decorator) / a no-op standard decorator',
      roundRatio('disabled/tracedStandard', 'disabled/noopStandard'),
      1.02,
    ),
    ratio(
      'disabled (OTEL_SDK_DISABLED at decoration): @Traced / a no-op decorator',
      roundRatio('disabled/tracedEnvDisabled', 'disabled/redefined'),
      1.02,
    ),
  ];
  // Informational (no target): what any legacy decorator's property redefinition costs a tiny method.
  ratios.push({
    name: "a no-op decorator / undecorated (informational: TypeScript's __decorate redefines the method)",
    value: roundRatio('disabled/redefined', 'disabled/undecorated'),
  });
  ratios.push({
    name: 'no SDK registered: @Traced / undecorated (informational)',
    value: roundRatio('no-sdk/traced', 'no-sdk/undecorated'),
  });
  const report = {
    title: '@tracery/core: @Traced overhead',
    description:
      `Median ns per call (ratios: median of the per-round ratios) over ${ROUNDS} rounds per mode (after ${WARMUP_ROUNDS} warm-up rounds), variants interleaved within each round, ` +
      `each ${CHUNKS_PER_ROUND} x ${CHUNK} calls (x ${CHUNK * 32} when disabled, x ${CHUNK * 8} with no SDK), one process. The method computes a small sum (~24 modulo steps). ` +
      'Hand-wrapped = tracer.startActiveSpan with try/catch/finally (exception recorded, span ended), tracer from ' +
      'trace.getTracer on the same global provider; "with 2 @SpanTags" = @Traced with @SpanTag on both arguments ' +
      'against the hand-written wrapper passing the same two attributes at the start. Recording: AlwaysOn sampler, ' +
      'BatchSpanProcessor, exporter that drops. Non-recording: AlwaysOff sampler. No SDK: no tracer provider and no ' +
      "context manager registered (the API's no-ops). Disabled: TracerService({ enabled: false }) alive, and a class " +
      'decorated while OTEL_SDK_DISABLED=true. "redefined" = a decorator that does nothing: the method put back with ' +
      'Object.defineProperty, as every legacy decorator (TypeScript __decorate) does; "noopStandard" = a standard ' +
      'decorator returning nothing. "tracedStandard" = the same method with @Traced as a TC39 standard decorator, ' +
      'compiled at bench start by esbuild with experimentalDecorators off. Load average at the end: ' +
      `${require('node:os')
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}.`,
    rows,
    ratios,
    notes: [
      'Every legacy decorator costs a tiny method its Object.defineProperty on the prototype (TypeScript ' +
        '__decorate): see "a no-op decorator / undecorated". What @Traced itself adds when disabled is "@Traced / a ' +
        'no-op decorator": one extra call frame forwarding its arguments.',
      'The method is deliberately tiny (~30 ns), so fixed per-call costs show at their largest.',
      'Two decorated classes (legacy and standard) share the wrapper code, so its call of the original method is ' +
        'polymorphic here, as in any program with more than one traced method; with a single traced method in ' +
        'the process the disabled ratio is a few percent lower.',
      `checksum ${sink % 1000}`,
    ],
  };
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
