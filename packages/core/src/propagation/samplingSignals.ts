import { createContextKey, trace, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { markDebugSpan } from '@tracery/commons';

/**
 * What a caller can say about sampling beyond OpenTelemetry's one sampled bit, in B3's words: `defer` (no
 * decision yet: the receiver decides), `deny`, `accept`, `debug` (accept, and flag every span of the trace).
 * With a span context, accept and deny are the sampled bit itself; only `defer` and `debug` need this module.
 */
export type SamplingState = 'defer' | 'deny' | 'accept' | 'debug';

/**
 * The signals one context carries. Bound to a trace (`traceId`) they apply to that trace only, so a new root
 * started inside the same request is not affected; unbound they apply to whatever trace starts in the
 * context (B3's `b3: 0` / `b3: d` without ids, or `withDebug` on a context without a span).
 *
 * @experimental internal to Tracery's packages: the shape may change.
 */
export interface SamplingSignals {
  /** The trace the signals belong to; `undefined`: the trace the next root span starts. */
  readonly traceId?: string;
  /** The remote span they arrived with: a pass-through inject of that very span writes them as received. */
  readonly spanId?: string;
  /** The caller's sampling state, when it is one a sampled bit cannot hold. */
  readonly state?: SamplingState;
  /** W3C Level 2 random-trace-id flag (`0x02`) of the incoming `traceparent`: carried for the same trace. */
  readonly randomTraceId?: boolean;
  /**
   * Jaeger's `jaeger-debug-id` correlation id (sent without a trace context, with `state: 'debug'`): the root
   * span of the debug trace started under it is tagged `jaeger-debug-id` with it, so the trace can be found.
   */
  readonly debugId?: string;
}

/** What an outgoing header of `spanContext` should say besides its sampled bit. */
export interface OutgoingSignals {
  /** Debug: B3 `d` / `X-B3-Flags: 1`, Jaeger flag `0x02`; W3C has no such flag and writes it as sampled. */
  readonly debug: boolean;
  /** The decision is still the receiver's: the span is the deferred remote parent itself (pass-through). */
  readonly deferred: boolean;
  /** W3C random-trace-id flag. */
  readonly randomTraceId: boolean;
}

const SIGNALS_KEY = createContextKey('@tracery/core sampling signals');
/** The signals spans started or read by Tracery carry on, by span context (see `rememberSpanSignals`). */
const spanSignals = new WeakMap<SpanContext, SamplingSignals>();
const NO_SIGNALS: OutgoingSignals = { debug: false, deferred: false, randomTraceId: false };

/** `context` carrying `signals`, replacing any it had (an extract sets fresh signals for the trace it read). */
export function withSamplingSignals(context: Context, signals: SamplingSignals): Context {
  return context.setValue(SIGNALS_KEY, Object.freeze({ ...signals }));
}

/** The signals `context` carries, if any. */
export function samplingSignalsOf(context: Context): SamplingSignals | undefined {
  const value = context.getValue(SIGNALS_KEY);
  return value === undefined ? undefined : (value as SamplingSignals);
}

/**
 * Marks the trace of `context` as debug: core's samplers sample its spans whatever their parent says, and
 * every propagator writes the debug flag its format has (B3 `d` / `X-B3-Flags: 1`, Jaeger `0x02`; W3C:
 * sampled). Without a span in `context`, the mark applies to the trace the next root span starts there
 * ("debug this request").
 *
 * @experimental internal to Tracery's packages.
 * @example
 * tracer.startActiveSpan('checkout', {}, withDebug(context.active()), (span) => { ... }); // sampled, debug
 */
export function withDebug(context: Context): Context {
  const spanContext = trace.getSpanContext(context);
  const traceId =
    spanContext !== undefined && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  const previous = samplingSignalsOf(context);
  if (previous !== undefined && previous.traceId === traceId && previous.state === 'debug') return context;
  const randomTraceId =
    previous !== undefined && previous.traceId === traceId && previous.randomTraceId === true;
  return withSamplingSignals(context, { traceId, state: 'debug', randomTraceId });
}

/**
 * `context` asking that the next span started in it be not sampled (OpenTracing's `sampling.priority: 0`): for
 * a span without a parent, B3's deny state (`b3: 0`); for a child, its parent read as not sampled and not debug,
 * so a parent-based sampler (every `createSampler` sampler) does not sample it and its children. The parent's
 * ids stay, so the span stays in its trace.
 *
 * @experimental internal to Tracery's packages.
 */
export function withNotSampled(context: Context): Context {
  const parent = trace.getSpanContext(context);
  if (parent === undefined || !trace.isSpanContextValid(parent)) {
    return withSamplingSignals(context, { state: 'deny' });
  }
  const unsampled = trace.setSpanContext(context, { ...parent, traceFlags: parent.traceFlags & ~1 });
  return withSamplingSignals(unsampled, { traceId: parent.traceId, state: 'deny' });
}

/**
 * The signals a span started in `context` (or a remote span context read into it) carries on for its own
 * trace, bound to that trace: the signals of its trace as they are, and a debug mark meant for the next trace
 * (`withDebug` on a context without a span, `jaeger-debug-id`) bound to the trace it started. `undefined` when
 * none apply (most spans).
 *
 * @experimental internal to Tracery's packages.
 */
export function signalsOfSpan(context: Context, spanContext: SpanContext): SamplingSignals | undefined {
  const signals = samplingSignalsOf(context);
  if (signals === undefined) return undefined;
  if (signals.traceId === spanContext.traceId) return signals;
  if (signals.traceId === undefined && signals.state === 'debug') {
    return Object.freeze({ traceId: spanContext.traceId, state: 'debug' as const });
  }
  return undefined;
}

/**
 * Remembers what `context`'s signals say about the trace of `span`, started in `context`, so that a context
 * built later from the span alone (`contextWithSpan`: a span given as a parent, to inject or to activate)
 * carries them: a debug mark, the random-trace-id flag. Kept as long as the span context is (a WeakMap).
 */
export function rememberSpanSignals(span: Span, context: Context): void {
  const spanContext = span.spanContext();
  const signals = signalsOfSpan(context, spanContext);
  if (signals !== undefined) spanSignals.set(spanContext, signals);
}

/**
 * Marks the trace of `span`, already started, debug from `span` on (OpenTracing's `sampling.priority` set after
 * the start): contexts built from the span carry the mark (`contextWithSpan`), and a recording span is exported
 * as debug (`markDebugSpan`). Returns the span's signals now; `previous` (default: those remembered for it) keeps
 * its random-trace-id flag.
 *
 * @experimental internal to Tracery's packages.
 */
export function markSpanDebug(
  span: Span,
  previous: SamplingSignals | undefined = spanSignals.get(span.spanContext()),
): SamplingSignals {
  const spanContext = span.spanContext();
  const { traceId } = spanContext;
  const signals: SamplingSignals = Object.freeze({
    traceId,
    state: 'debug',
    randomTraceId: previous?.traceId === traceId && previous.randomTraceId === true,
  });
  spanSignals.set(spanContext, signals);
  if (span.isRecording()) markDebugSpan(spanContext);
  return signals;
}

/**
 * `base` with `span` as its span, and the sampling signals the span was started under (`rememberSpanSignals`),
 * if any: what `trace.setSpan` gives, but a span started debug stays debug in it.
 */
export function contextWithSpan(base: Context, span: Span): Context {
  const withSpan = trace.setSpan(base, span);
  const signals = spanSignals.get(span.spanContext());
  return signals === undefined ? withSpan : withSpan.setValue(SIGNALS_KEY, signals);
}

/**
 * Whether `context` marks trace `traceId` (default: the trace of the span in `context`) as debug.
 *
 * @experimental internal to Tracery's packages.
 */
export function isDebug(context: Context, traceId = trace.getSpanContext(context)?.traceId): boolean {
  const signals = samplingSignalsOf(context);
  return signals?.state === 'debug' && appliesTo(signals, traceId);
}

/**
 * The sampling state a span without a parent, started in `context`, is asked to follow (`b3: 0`, `b3: 1`,
 * `b3: d` or `withDebug` without ids), or `undefined`.
 */
export function rootSamplingState(context: Context): SamplingState | undefined {
  const signals = samplingSignalsOf(context);
  return signals !== undefined && signals.traceId === undefined ? signals.state : undefined;
}

/**
 * The `jaeger-debug-id` a span without a parent, started in `context`, is to be tagged with: the correlation
 * id of a debug request sent without a trace context, or `undefined`.
 */
export function rootDebugId(context: Context): string | undefined {
  const signals = samplingSignalsOf(context);
  return signals !== undefined && signals.traceId === undefined && signals.state === 'debug'
    ? signals.debugId
    : undefined;
}

/** Whether `parent` is the remote span whose caller deferred the sampling decision to us. */
export function isDeferredParent(context: Context, parent: SpanContext | undefined): boolean {
  const signals = samplingSignalsOf(context);
  return (
    parent !== undefined &&
    signals?.state === 'defer' &&
    signals.traceId === parent.traceId &&
    signals.spanId === parent.spanId
  );
}

/** What the propagators write for `spanContext` (found in `context`) besides its sampled bit. */
export function outgoingSignals(context: Context, spanContext: SpanContext): OutgoingSignals {
  const signals = samplingSignalsOf(context);
  if (signals === undefined || !appliesTo(signals, spanContext.traceId)) return NO_SIGNALS;
  return {
    debug: signals.state === 'debug',
    deferred:
      signals.state === 'defer' &&
      signals.traceId === spanContext.traceId &&
      signals.spanId === spanContext.spanId,
    randomTraceId: signals.randomTraceId === true && signals.traceId === spanContext.traceId,
  };
}

function appliesTo(signals: SamplingSignals, traceId: string | undefined): boolean {
  return signals.traceId === undefined || signals.traceId === traceId;
}
