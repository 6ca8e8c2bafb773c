import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ProxyTracerProvider,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  DEFAULT_EXPORT_TIMEOUT_MS,
  flushPipelines,
  pipelinesOf,
  settleWithin,
  sumStats,
  type ExportStats,
  type FlushResult,
} from '@tracery/commons';
import { attributeValueLengthLimit, normalizeAttributeValue } from '../attributes/normalizeAttributeValue';
import { reportOnce } from '../diagnostics/reportOnce';
import { isSdkDisabled } from '../environment/sdkDisabled';
import { headerGetter, headerSetter } from '../propagation/headerCarrier';
import { contextWithSpan, rememberSpanSignals, withDebug } from '../propagation/samplingSignals';
import {
  createPropagator,
  defaultPropagationFormats,
  propagatorForFormats,
} from '../propagation/createPropagator';
import { createTracerProvider } from '../provider/createTracerProvider';
import { holdDecoratorsOff, TRACER_NAME } from '../span/decoratorTracer';
import { callAndSettle, type SpanSettlement } from '../span/settleSpan';
import type { PropagationFormat, TracingOptions } from '../types';
import { flushOnExit } from './flushOnExit';
import { contextOfParent, type SpanParent } from './spanParent';

/** Options of `startSpan`: OpenTelemetry's span options, plus forced sampling. */
export interface StartSpanOptions extends SpanOptions {
  /**
   * Starts the span forced sampled, as a debug trace ("debug this request"): sampled whatever the sampler
   * built from `TracingOptions.sampler` or `OTEL_TRACES_SAMPLER` says (a `Sampler` object of your own decides
   * as it does), and so are the spans started under it; its headers carry Jaeger's debug flag (`…:3`), B3's
   * `X-B3-Flags: 1` / `b3: …-d` or W3C's sampled flag, so the services downstream sample the trace too. With
   * a parent, the trace is debug from this span on. Default `false`: the sampler decides.
   */
  debug?: boolean;
}

/** Options of `withSpan`: `startSpan`'s options, the parent, and how errors count. */
export interface WithSpanOptions extends StartSpanOptions {
  /**
   * The parent: a span, a span context, or a context (such as `extract`'s result). Default: the active
   * context.
   */
  parent?: SpanParent;
  /** Decides whether an error sets status ERROR (the exception event is recorded either way). Default: always. */
  isError?: (error: unknown) => boolean;
}

const NO_RESULT_TAGS: SpanSettlement['resultTags'] = [];

/**
 * Owns a tracer provider built from `TracingOptions` and gives services a small tracing API: spans,
 * tags, events, and context propagation over HTTP-style carriers. A plain class: importing
 * `@tracery/core/inversify` makes it injectable (its `options` from `TRACING_OPTIONS`, optional), and
 * `tracingModule` there binds one. Registers its provider globally (so
 * `@Traced` methods use it) unless `registerGlobal` is `false`. Until `shutdown()`, the provider is also
 * flushed when the process runs out of work (`beforeExit`), so a program that simply ends still exports
 * its spans; `process.exit()` and signals skip `beforeExit`, so call `shutdown()` there.
 *
 * @example
 * const tracing = new TracerService({ serviceName: 'orders', exporter });
 * await tracing.withSpan('load', async () => repository.load());
 * await tracing.shutdown();
 */
export class TracerService {
  /** The provider built by `createTracerProvider(options)`. */
  readonly provider: NodeTracerProvider;
  private readonly tracer: Tracer;
  private readonly enabled: boolean;
  private readonly defaultFormats: PropagationFormat[];
  private readonly defaultPropagator: TextMapPropagator;
  private readonly propagators = new Map<PropagationFormat, TextMapPropagator>();
  private readonly attributeLengthLimit = attributeValueLengthLimit();
  private contextManager: AsyncLocalStorageContextManager | undefined;
  private registeredGlobally = false;
  private registeredPropagator = false;
  private releaseDecorators: (() => void) | undefined;
  private readonly stopFlushOnExit: () => void;
  private readonly otherProcessors: readonly SpanProcessor[];
  /** Bound of the user's own processors' flush and shutdown: the longest export timeout of the pipelines. */
  private readonly processorTimeoutMs: number;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options?: TracingOptions) {
    const resolved = options ?? {};
    this.enabled = resolved.enabled ?? !isSdkDisabled();
    this.provider = this.enabled
      ? createTracerProvider(resolved)
      : new NodeTracerProvider({ sampler: new AlwaysOffSampler() });
    this.tracer = this.provider.getTracer(TRACER_NAME);
    this.otherProcessors = this.enabled ? (resolved.spanProcessors ?? []) : [];
    this.processorTimeoutMs =
      Math.max(0, ...(pipelinesOf(this.provider) ?? []).map((pipeline) => pipeline.exportTimeoutMillis)) ||
      DEFAULT_EXPORT_TIMEOUT_MS;
    this.defaultFormats = defaultPropagationFormats(resolved.propagation);
    this.defaultPropagator = propagatorForFormats(this.defaultFormats);
    // A program that ends without shutdown() still exports what the batch processors hold.
    this.stopFlushOnExit = this.enabled ? flushOnExit(this) : () => undefined;
    if (!this.enabled) {
      this.releaseDecorators = holdDecoratorsOff();
    } else if (resolved.registerGlobal !== false) {
      this.registerGlobal();
    }
  }

  /**
   * Starts a span (not made active; end it yourself). Parent: `parent` (a span, a span context or a context),
   * else the active context; `options.root` starts a new trace instead. `options.debug` forces the trace
   * sampled.
   *
   * @example
   * const parent = tracing.startSpan('batch');
   * const item = tracing.startSpan('item', { attributes: { 'item.id': id } }, parent);
   */
  startSpan(name: string, options?: StartSpanOptions, parent?: SpanParent): Span {
    const start = this.startContext(parent, options);
    const span = this.tracer.startSpan(name, options, start);
    rememberSpanSignals(span, start);
    return span;
  }

  /**
   * Runs `fn` with a new span active and ends the span when `fn` completes: at once for a sync result or
   * a throw, when it settles for a native promise (returned as the same object). Errors reach the caller
   * unchanged and are recorded on the span. If tracing fails to start a span, `fn` runs without one.
   */
  withSpan<T>(name: string, fn: (span: Span) => T, options?: WithSpanOptions): T {
    let span: Span;
    let active: Context;
    try {
      const start = this.startContext(options?.parent, options);
      span = this.tracer.startSpan(name, options, start);
      rememberSpanSignals(span, start);
      active = contextWithSpan(start, span);
    } catch (error) {
      reportOnce(`withSpan:${name}`, `could not start span ${name}; running without it`, error);
      return fn(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    }
    const settlement: SpanSettlement = { name, resultTags: NO_RESULT_TAGS, isError: options?.isError };
    return context.with(
      active,
      callAndSettle,
      undefined,
      span,
      settlement,
      fn as (...args: unknown[]) => unknown,
      undefined,
      [span],
    ) as T;
  }

  /**
   * Runs `fn` with `span` active (OpenTracing's `scopeManager.activate(span)`), without starting or ending a
   * span: spans started inside (`@Traced` methods, `startSpan`, instrumentations), and in the async work it
   * starts, are its children, and `inject()` writes its context. `span` may also be a span context or a
   * context (`extract`'s result: `fn` then continues the caller's trace). Returns what `fn` returns (the same
   * promise for an async function) and lets its errors through unchanged.
   *
   * @example
   * const span = tracing.startSpan('job');
   * await tracing.withActiveSpan(span, () => worker.run()); // worker's @Traced spans are children of job
   * span.end();
   */
  withActiveSpan<T>(span: SpanParent, fn: () => T): T {
    return context.with(contextOfParent(span, context.active()), fn);
  }

  /** The active span, or `undefined` when none is active. */
  activeSpan(): Span | undefined {
    return trace.getActiveSpan();
  }

  /** Sets an attribute on the active span; the value is normalised like a `@SpanTag` value. */
  setTag(key: string, value: unknown): void {
    const span = trace.getActiveSpan();
    if (span === undefined) return;
    this.setNormalised(span, key, value);
  }

  /** Sets several attributes on the active span (values normalised like `@SpanTag` values). */
  setTags(attributes: Record<string, unknown>): void {
    const span = trace.getActiveSpan();
    if (span === undefined || attributes === null || typeof attributes !== 'object') return;
    for (const key of Object.keys(attributes)) this.setNormalised(span, key, attributes[key]);
  }

  /** Adds a timestamped event (an annotation, a structured log) to the active span. */
  addEvent(name: string, attributes?: Attributes): void {
    trace.getActiveSpan()?.addEvent(name, attributes);
  }

  /**
   * Writes the trace context of `from` (a span, a span context or a context; default: the active context) and
   * the active baggage into `carrier` (a plain object or outgoing HTTP headers) in `format`, else the default
   * format(s), replacing those headers under any case. Never throws.
   *
   * @example
   * tracing.inject(headers);                   // the active span, default format(s)
   * tracing.inject(headers, 'jaeger', span);   // that span, as uber-trace-id
   * tracing.inject(headers, undefined, span);  // that span, default format(s)
   */
  inject(carrier: Record<string, unknown>, format?: PropagationFormat, from?: SpanParent): void {
    try {
      const active = context.active();
      const source = from === undefined ? active : contextOfParent(from, active);
      this.propagator(format).inject(source, carrier, headerSetter);
    } catch (error) {
      reportOnce(`inject:${format ?? 'default'}`, 'could not inject the trace context', error);
    }
  }

  /**
   * Reads a remote span context (and baggage) from `carrier` (a plain object, or Node's
   * `IncomingHttpHeaders`: case-insensitive keys, repeated headers read as each spec says) in `format`, else the default
   * format(s), on top of the active context. Pass the result as a parent. Malformed or hostile input gives
   * the active context unchanged. Never throws.
   */
  extract(carrier: unknown, format?: PropagationFormat): Context {
    const base = context.active();
    try {
      return this.propagator(format).extract(base, carrier, headerGetter);
    } catch (error) {
      reportOnce(`extract:${format ?? 'default'}`, 'could not extract a trace context', error);
      return base;
    }
  }

  /**
   * Exports every span that has ended and waits for the collector's answer, exports already in flight included,
   * for at most `timeoutMs` (default: each pipeline's `exportTimeoutMillis`, 30 s unless `OTEL_BSP_EXPORT_TIMEOUT`). Never rejects, whatever the
   * collector does: the result says whether every span was settled and how many were delivered or dropped, and an
   * outage is reported once through `diag`. Span processors of your own (`spanProcessors`) are flushed too, within
   * the same bound; their failures are reported, not thrown.
   */
  async flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
    const timeoutMs = options?.timeoutMs;
    const [result] = await Promise.all([
      flushPipelines(pipelinesOf(this.provider) ?? [], timeoutMs),
      ...this.otherProcessors.map((processor) =>
        this.flushProcessor(processor, timeoutMs ?? this.processorTimeoutMs),
      ),
    ]);
    return result;
  }

  /** `flush()` without its result, as OpenTelemetry's providers have it. Never rejects. */
  async forceFlush(): Promise<void> {
    await this.flush();
  }

  /** What the export pipelines hold now, and have delivered and dropped (by cause) since this service began. */
  exportStats(): ExportStats {
    return sumStats(pipelinesOf(this.provider) ?? []);
  }

  /**
   * Flushes and shuts the provider down, and unregisters what this service registered globally (and its
   * flush on `beforeExit`). Never rejects, whatever the collector does (spans not delivered in time are
   * reported through `diag`), and is bounded by the pipelines' `exportTimeoutMillis`. Idempotent: later calls
   * return the first call's promise.
   */
  shutdown(): Promise<void> {
    if (this.shutdownPromise === undefined) {
      this.stopFlushOnExit();
      this.unregisterGlobal();
      // Every processor: the export pipelines (which never reject and bound themselves: a flush, then the
      // exporter's shutdown, each within the export timeout), the user's own, and the sampler's stopper.
      const bound = 3 * this.processorTimeoutMs + 1000;
      this.shutdownPromise = settleWithin(() => this.provider.shutdown(), bound).then((settled) => {
        if (settled.outcome === 'failed') {
          reportOnce('processor:shutdown', "a span processor's shutdown() failed", settled.error);
        } else if (settled.outcome === 'timeout') {
          reportOnce(
            'processor:shutdown:timeout',
            `the span processors did not shut down within ${bound} ms`,
          );
        }
      });
    }
    return this.shutdownPromise;
  }

  /** Flushes a span processor of the user's within the bound; a failure or hang is reported once, never thrown. */
  private async flushProcessor(processor: SpanProcessor, timeoutMs: number): Promise<void> {
    const settled = await settleWithin(() => processor.forceFlush(), timeoutMs);
    if (settled.outcome === 'failed') {
      reportOnce('processor:forceFlush', "a span processor's forceFlush() failed", settled.error);
    } else if (settled.outcome === 'timeout') {
      reportOnce(
        'processor:forceFlush:timeout',
        `a span processor's forceFlush() did not finish within ${timeoutMs} ms`,
      );
    }
  }

  /** The context a span starts in: its parent's, marked debug when asked (the new trace's, for `root`). */
  private startContext(parent: SpanParent | undefined, options: StartSpanOptions | undefined): Context {
    const active = context.active();
    const start = parent === undefined ? active : contextOfParent(parent, active);
    if (options?.debug !== true) return start;
    return withDebug(options.root === true ? trace.deleteSpan(start) : start);
  }

  private propagator(format: PropagationFormat | undefined): TextMapPropagator {
    if (format === undefined) return this.defaultPropagator;
    let propagator = this.propagators.get(format);
    if (propagator === undefined) {
      propagator = createPropagator(format);
      this.propagators.set(format, propagator);
    }
    return propagator;
  }

  private setNormalised(span: Span, key: string, value: unknown): void {
    try {
      const normalised = normalizeAttributeValue(value, this.attributeLengthLimit);
      if (normalised !== undefined) span.setAttribute(key, normalised);
    } catch (error) {
      reportOnce(`setTag:${key}`, `tag '${key}' skipped`, error);
    }
  }

  private registerGlobal(): void {
    if (!trace.setGlobalTracerProvider(this.provider)) {
      reportOnce(
        'register:provider',
        'a global tracer provider is already registered; decorators keep using it',
      );
      return;
    }
    this.registeredGlobally = true;
    const contextManager = new AsyncLocalStorageContextManager().enable();
    if (context.setGlobalContextManager(contextManager)) this.contextManager = contextManager;
    else contextManager.disable(); // the one already registered stays in use
    this.registeredPropagator = propagation.setGlobalPropagator(this.defaultPropagator);
  }

  private unregisterGlobal(): void {
    this.releaseDecorators?.();
    this.releaseDecorators = undefined;
    if (!this.registeredGlobally) return;
    this.registeredGlobally = false;
    const global = trace.getTracerProvider();
    if (global instanceof ProxyTracerProvider && global.getDelegate() === this.provider) {
      trace.disable();
      if (this.registeredPropagator) propagation.disable();
      this.registeredPropagator = false;
      if (this.contextManager !== undefined) {
        context.disable();
        this.contextManager = undefined;
      }
    }
  }
}
