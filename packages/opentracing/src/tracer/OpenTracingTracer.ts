import {
  INVALID_SPAN_CONTEXT,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  attributeValueLengthLimit,
  createPropagator,
  headerGetter,
  headerSetter,
  samplingSignalsOf,
  signalsOfSpan,
  withSamplingSignals,
  type PropagationFormat,
} from '@tracery/core';
import * as opentracing from 'opentracing';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import { BAGGAGE, OpenTracingSpanContext, OTEL_SPAN_CONTEXT, SIGNALS } from './OpenTracingSpanContext';
import { OpenTracingSpan, type SpanOwner } from './OpenTracingSpan';
import { planStart } from './startOptions';

/** The instrumentation scope of the OpenTelemetry spans an OpenTracing tracer records. */
export const TRACER_NAME = '@tracery/opentracing';

/** The carrier formats inject and extract accept (`opentracing.FORMAT_BINARY` is not supported). */
const TEXT_FORMATS: ReadonlySet<string> = new Set([
  opentracing.FORMAT_HTTP_HEADERS,
  opentracing.FORMAT_TEXT_MAP,
]);

/** Options of `OpenTracingTracer`. */
export interface OpenTracingTracerOptions {
  /**
   * Where the spans are recorded. Default: the global tracer provider (the one `TracerService`, the
   * OpenTelemetry SDK or `initTracer` registered, whichever registers, now or later).
   */
  tracerProvider?: TracerProvider;
  /**
   * The wire format of `inject`/`extract` for `FORMAT_HTTP_HEADERS` and `FORMAT_TEXT_MAP`: `jaeger`
   * (`uber-trace-id`, `uberctx-*` baggage), `w3c` (`traceparent`, `baggage`), `b3` (`X-B3-*`) or `b3single`
   * (`b3`). Default `jaeger`, as jaeger-client.
   */
  propagation?: PropagationFormat;
  /** jaeger-client's logger: faults are also reported to its `error`. Default: `diag` only. */
  logger?: JaegerLogger;
}

/**
 * An OpenTracing `Tracer` (the `opentracing` npm API) whose spans are OpenTelemetry spans, so OpenTracing
 * code, `@Traced` methods and OpenTelemetry instrumentations share one trace. `initTracer` builds one with
 * its own provider and exporter; construct one yourself to put OpenTracing code on a provider you already
 * have. `startSpan` follows jaeger-client (parents, references, baggage), `inject`/`extract` use
 * `@tracery/core`'s propagators (Jaeger by default). Nothing here throws into the caller: faults are
 * reported once through `diag`.
 *
 * @example
 * const tracer = new OpenTracingTracer({ tracerProvider: tracing.provider });
 * const span = tracer.startSpan('load', { tags: { 'db.system': 'redis' } });
 * span.finish();
 */
export class OpenTracingTracer extends opentracing.Tracer {
  private readonly otelTracer: Tracer;
  private readonly propagator: TextMapPropagator;
  private readonly owner: SpanOwner;
  private readonly tracerProvider: TracerProvider;

  constructor(options: OpenTracingTracerOptions = {}) {
    super();
    this.tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
    this.otelTracer = this.tracerProvider.getTracer(TRACER_NAME);
    this.propagator = createPropagator(options.propagation ?? 'jaeger');
    this.owner = {
      tracer: this,
      otelTracer: this.otelTracer,
      attributeLengthLimit: attributeValueLengthLimit(),
      logger: options.logger,
    };
  }

  /**
   * Starts a span. `childOf` (a span or span context) is the parent, else the first `childOf` reference,
   * else the first `followsFrom` one (as jaeger-client); without any, OpenTelemetry's active span is the
   * parent (none: a new trace). `tags` are set at the start (samplers see them); `startTime` is in
   * milliseconds since the epoch. A `sampling.priority` tag above 0 starts the span forced sampled, as the
   * first of a debug trace (Jaeger's debug flag, sent on by `inject`); 0 starts it (and its children) unsampled.
   */
  override startSpan(name: string, options: opentracing.SpanOptions = {}): OpenTracingSpan {
    try {
      const plan = planStart(options ?? {}, this.owner.attributeLengthLimit);
      if (plan.foreign) {
        this.fault('startSpan:foreign', 'a parent or reference from another tracer was ignored');
      }
      const spanName = String(name);
      const spanOptions: SpanOptions = {
        kind: plan.kind,
        attributes: plan.attributes,
        links: plan.links,
        startTime: typeof options?.startTime === 'number' ? options.startTime : undefined,
      };
      const span = this.otelTracer.startSpan(spanName, spanOptions, plan.parent);
      if (plan.error) span.setStatus({ code: SpanStatusCode.ERROR });
      const signals = signalsOfSpan(plan.parent, span.spanContext());
      // An unsampled span may still be asked to record by a later sampling.priority tag (see OpenTracingSpan).
      const restart = span.isRecording()
        ? undefined
        : {
            name: spanName,
            options: { ...spanOptions, startTime: spanOptions.startTime ?? Date.now() },
            parent: plan.parent,
            error: plan.error,
          };
      return new OpenTracingSpan(this.owner, span, plan.baggage, signals, restart);
    } catch {
      this.fault('startSpan', 'a span could not be started; an empty span was returned');
      return new OpenTracingSpan(this.owner, trace.wrapSpanContext(INVALID_SPAN_CONTEXT), undefined);
    }
  }

  /**
   * Writes a span's (or span context's) trace context and baggage into `carrier` for `FORMAT_HTTP_HEADERS`
   * and `FORMAT_TEXT_MAP`, in the tracer's propagation format. Other formats, and contexts of other
   * tracers, write nothing (reported once).
   */
  override inject(
    spanContext: opentracing.SpanContext | opentracing.Span,
    format: string,
    carrier: unknown,
  ): void {
    try {
      const injected = spanContext instanceof opentracing.Span ? spanContext.context() : spanContext;
      if (injected === null || injected === undefined) return;
      if (!TEXT_FORMATS.has(format)) {
        this.fault(
          'inject:format',
          `inject supports FORMAT_HTTP_HEADERS and FORMAT_TEXT_MAP, not ${String(format)}`,
        );
        return;
      }
      if (!(injected instanceof OpenTracingSpanContext)) {
        this.fault('inject:foreign', 'a span context from another tracer was not injected');
        return;
      }
      let otelContext: Context = ROOT_CONTEXT;
      if (injected.isValid()) otelContext = trace.setSpanContext(otelContext, injected[OTEL_SPAN_CONTEXT]);
      const signals = injected[SIGNALS];
      if (signals !== undefined) otelContext = withSamplingSignals(otelContext, signals);
      const baggage = injected[BAGGAGE];
      if (baggage !== undefined) otelContext = propagation.setBaggage(otelContext, baggage);
      this.propagator.inject(otelContext, carrier, headerSetter);
    } catch {
      this.fault('inject', 'the trace context could not be injected');
    }
  }

  /**
   * Reads a span context (and baggage) from `carrier` (plain objects and Node's incoming headers alike) for
   * `FORMAT_HTTP_HEADERS` and `FORMAT_TEXT_MAP`. As jaeger-client, always returns a span context for these
   * formats: one with empty ids when the carrier holds no valid trace context (a span started with it
   * starts a new trace, with the baggage found). Other formats give `null` (reported once).
   */
  override extract(format: string, carrier: unknown): OpenTracingSpanContext | null {
    if (!TEXT_FORMATS.has(format)) {
      this.fault(
        'extract:format',
        `extract supports FORMAT_HTTP_HEADERS and FORMAT_TEXT_MAP, not ${String(format)}`,
      );
      return null;
    }
    try {
      const extracted = this.propagator.extract(ROOT_CONTEXT, carrier, headerGetter);
      const spanContext = trace.getSpanContext(extracted);
      // What the caller said beyond the sampled bit (debug, a deferred decision, jaeger-debug-id) stays with it.
      return new OpenTracingSpanContext(
        spanContext ?? INVALID_SPAN_CONTEXT,
        propagation.getBaggage(extracted),
        spanContext === undefined ? samplingSignalsOf(extracted) : signalsOfSpan(extracted, spanContext),
      );
    } catch {
      this.fault('extract', 'a trace context could not be extracted');
      return new OpenTracingSpanContext(INVALID_SPAN_CONTEXT, undefined);
    }
  }

  /**
   * jaeger-client's `close`: for this tracer, exports what its provider has buffered (the provider stays
   * usable: it is yours). Calls `callback` when done, then resolves; a failed flush is reported, not
   * thrown (only a throwing `callback` rejects the promise).
   */
  close(callback?: () => void): Promise<void> {
    // The global provider is a proxy: flush the provider registered behind it.
    const provider =
      this.tracerProvider instanceof ProxyTracerProvider
        ? this.tracerProvider.getDelegate()
        : this.tracerProvider;
    const flush = (provider as { forceFlush?: () => Promise<void> }).forceFlush;
    const flushed =
      typeof flush === 'function' ? Promise.resolve().then(() => flush.call(provider)) : Promise.resolve();
    return settle(flushed, callback, () => this.fault('close', 'spans could not be flushed on close'));
  }

  /** Reports a fault of this tracer once. */
  protected fault(key: string, message: string): void {
    reportOnce(key, message, this.owner.logger);
  }
}

/** Waits for `work`, reports its failure, then calls `callback`; resolves unless `callback` throws. */
export function settle(
  work: Promise<unknown>,
  callback: (() => void) | undefined,
  onError: (error: unknown) => void,
): Promise<void> {
  return work.then(
    () => callback?.(),
    (error: unknown) => {
      onError(error);
      callback?.();
    },
  );
}
