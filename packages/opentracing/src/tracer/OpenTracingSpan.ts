import {
  propagation,
  SpanStatusCode,
  trace,
  type Baggage,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import {
  markSpanDebug,
  signalsOfSpan,
  withDebug,
  withSamplingSignals,
  type SamplingSignals,
} from '@tracery/core';
import * as opentracing from 'opentracing';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import { OpenTracingSpanContext } from './OpenTracingSpanContext';
import { isErrorTag, logEvent, SAMPLING_PRIORITY_TAG, samplingPriority, toAttributeValue } from './tagValues';

/** Where an OpenTracing span keeps its OpenTelemetry span (not part of the public API). */
export const OTEL_SPAN = Symbol('tracery.opentracing.span');
/** Where it keeps its current baggage (not part of the public API). */
export const SPAN_BAGGAGE = Symbol('tracery.opentracing.spanBaggage');
/** Where it keeps what its trace carries beyond the sampled bit (debug, ...; not part of the public API). */
export const SPAN_SIGNALS = Symbol('tracery.opentracing.spanSignals');
/** Its method giving a context with it as the span (for children and `withSpan`; not part of the public API). */
export const CONTEXT_WITH = Symbol('tracery.opentracing.contextWith');

/** jaeger-client's default limit on a baggage value; longer values are truncated (and the log says so). */
export const MAX_BAGGAGE_VALUE_LENGTH = 2048;
/** Most baggage items a span carries (W3C baggage's limit); further items are not set (reported once). */
export const MAX_BAGGAGE_ITEMS = 180;

/** What a span needs from its tracer. */
export interface SpanOwner {
  readonly tracer: opentracing.Tracer;
  /** The OpenTelemetry tracer its spans are recorded with. */
  readonly otelTracer: Tracer;
  readonly attributeLengthLimit: number;
  readonly logger: JaegerLogger | undefined;
}

/**
 * How a span that started unsampled can start again, recording, when `sampling.priority` asks for it before
 * anything saw its ids (jaeger-client's `span.setTag(SAMPLING_PRIORITY, 1)` right after `startSpan`).
 */
export interface SpanRestart {
  name: string;
  readonly options: SpanOptions;
  readonly parent: Context;
  readonly error: boolean;
}

const baggageKeys = new Map<string, string>();
const MAX_CACHED_BAGGAGE_KEYS = 100;

/** jaeger-client's baggage key rule: lower case, `_` written `-`. */
function normalizeBaggageKey(key: string): string {
  let normalized = baggageKeys.get(key);
  if (normalized === undefined) {
    normalized = key.replace(/_/g, '-').toLowerCase();
    if (baggageKeys.size < MAX_CACHED_BAGGAGE_KEYS) baggageKeys.set(key, normalized);
  }
  return normalized;
}

/**
 * An OpenTracing `Span` recorded as an OpenTelemetry span. Tags become attributes (objects as JSON, as
 * jaeger-client sends them), `error: true` sets the span's status to ERROR, logs become events named by
 * their `event` field, baggage rides with the span's context (and is logged on the span, as jaeger-client
 * does). No method throws; a span that is not sampled records nothing but still carries ids and baggage.
 */
export class OpenTracingSpan extends opentracing.Span {
  [OTEL_SPAN]: Span;
  [SPAN_BAGGAGE]: Baggage | undefined;
  [SPAN_SIGNALS]: SamplingSignals | undefined;
  /** Made when first asked for (most spans never are), and anew after each baggage or sampling change. */
  private spanContext: OpenTracingSpanContext | undefined;
  /** Until its ids are handed out or it finishes, how an unsampled span can start again recording. */
  private restart: SpanRestart | undefined;
  /** The last context made by `[CONTEXT_WITH]`, and the base it was made on. */
  private contextBase: Context | undefined;
  private contextWith: Context | undefined;

  /** @internal built by `OpenTracingTracer.startSpan`. */
  constructor(
    private readonly owner: SpanOwner,
    span: Span,
    baggage: Baggage | undefined,
    signals?: SamplingSignals,
    restart?: SpanRestart,
  ) {
    super();
    this[OTEL_SPAN] = span;
    this[SPAN_BAGGAGE] = baggage;
    this[SPAN_SIGNALS] = signals;
    this.restart = restart;
  }

  override context(): OpenTracingSpanContext {
    this.restart = undefined; // its ids are out now
    return (this.spanContext ??= new OpenTracingSpanContext(
      this[OTEL_SPAN].spanContext(),
      this[SPAN_BAGGAGE],
      this[SPAN_SIGNALS],
    ));
  }

  /** `base` with this span as its span, and what its trace carries beyond the sampled bit (debug, ...). */
  [CONTEXT_WITH](base: Context): Context {
    this.restart = undefined; // its ids are out now
    // A parent's children mostly start in the same active context: contexts are immutable, so the last one made
    // serves again while its base and the span's sampling signals stay the same.
    if (this.contextBase === base && this.contextWith !== undefined) return this.contextWith;
    const withSpan = trace.setSpan(base, this[OTEL_SPAN]);
    const signals = this[SPAN_SIGNALS];
    this.contextBase = base;
    this.contextWith = signals === undefined ? withSpan : withSamplingSignals(withSpan, signals);
    return this.contextWith;
  }

  override tracer(): opentracing.Tracer {
    return this.owner.tracer;
  }

  override setOperationName(name: string): this {
    try {
      this[OTEL_SPAN].updateName(String(name));
      if (this.restart !== undefined) this.restart.name = String(name);
    } catch {
      this.fault('setOperationName', 'a span could not be renamed');
    }
    return this;
  }

  /**
   * Sets a baggage item (key lower-cased, `_` as `-`, as jaeger-client does; value as a string, truncated to
   * 2048 characters) on this span's context, so that spans started from it, and inject, carry it. A sampled
   * span also logs it (`event: 'baggage'`, `key`, `value`, and `override`/`truncated` when so).
   */
  override setBaggageItem(key: string, value: string): this {
    try {
      const normalized = normalizeBaggageKey(String(key));
      let text = String(value);
      const truncated = text.length > MAX_BAGGAGE_VALUE_LENGTH;
      if (truncated) text = text.slice(0, MAX_BAGGAGE_VALUE_LENGTH);
      const baggage = this[SPAN_BAGGAGE] ?? propagation.createBaggage();
      const previous = baggage.getEntry(normalized);
      if (previous === undefined && baggage.getAllEntries().length >= MAX_BAGGAGE_ITEMS) {
        this.fault(
          'baggage:items',
          `a span carries at most ${MAX_BAGGAGE_ITEMS} baggage items; more were not set`,
        );
        return this;
      }
      this[SPAN_BAGGAGE] = baggage.setEntry(normalized, { value: text });
      this.spanContext = undefined; // a context handed out before keeps the baggage it had
      const span = this[OTEL_SPAN];
      if (span.isRecording()) {
        span.addEvent('baggage', {
          key: normalized,
          value: text,
          ...(previous !== undefined ? { override: 'true' } : {}),
          ...(truncated ? { truncated: 'true' } : {}),
        });
      }
    } catch {
      this.fault('setBaggageItem', 'a baggage item could not be set');
    }
    return this;
  }

  override getBaggageItem(key: string): string | undefined {
    try {
      return this[SPAN_BAGGAGE]?.getEntry(normalizeBaggageKey(String(key)))?.value;
    } catch {
      return undefined;
    }
  }

  override setTag(key: string, value: unknown): this {
    try {
      this.applyTag(String(key), value);
    } catch {
      this.fault('setTag', 'a tag could not be set');
    }
    return this;
  }

  override addTags(keyValueMap: { [key: string]: unknown }): this {
    try {
      if (keyValueMap === null || typeof keyValueMap !== 'object') return this;
      const keys = Object.keys(keyValueMap);
      // sampling.priority first (as jaeger-client): it may make the span record the others.
      if (keys.includes(SAMPLING_PRIORITY_TAG))
        this.applyTag(SAMPLING_PRIORITY_TAG, keyValueMap[SAMPLING_PRIORITY_TAG]);
      for (const key of keys) if (key !== SAMPLING_PRIORITY_TAG) this.applyTag(key, keyValueMap[key]);
    } catch {
      this.fault('addTags', 'tags could not be read');
    }
    return this;
  }

  /**
   * Adds a log: an event named by the `event` field (else `log`) whose attributes are the other fields.
   * `timestamp` is in milliseconds since the epoch, as in OpenTracing; default now.
   */
  override log(keyValuePairs: { [key: string]: unknown }, timestamp?: number): this {
    try {
      if (keyValuePairs === null || typeof keyValuePairs !== 'object') {
        this.fault('log:fields', 'span.log() takes an object of fields; other values are not logged');
        return this;
      }
      const span = this[OTEL_SPAN];
      if (!span.isRecording()) return this;
      const { name, attributes } = logEvent(keyValuePairs, this.owner.attributeLengthLimit);
      span.addEvent(name, attributes, typeof timestamp === 'number' ? timestamp : undefined);
    } catch {
      this.fault('log', 'a log could not be added');
    }
    return this;
  }

  /** Adds a log `{ event: eventName, payload }`, as jaeger-client does. */
  override logEvent(eventName: string, payload?: unknown): void {
    this.log({ event: eventName, payload });
  }

  /** Ends the span; `finishTime` in milliseconds since the epoch, default now. */
  override finish(finishTime?: number): void {
    this.restart = undefined;
    try {
      this[OTEL_SPAN].end(typeof finishTime === 'number' ? finishTime : undefined);
    } catch {
      this.fault('finish', 'a span could not be finished');
    }
  }

  private applyTag(key: string, value: unknown): void {
    if (key === SAMPLING_PRIORITY_TAG && !this.applySamplingPriority(value)) return;
    const span = this[OTEL_SPAN];
    if (isErrorTag(key, value)) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      return;
    }
    const attribute = toAttributeValue(value, this.owner.attributeLengthLimit);
    if (attribute !== undefined) span.setAttribute(key, attribute);
  }

  /**
   * `sampling.priority` set after the start, as jaeger-client applies it: above 0, the trace is debug from this
   * span on (its children sampled, `inject` writes the debug flag, a recording span is exported as debug); an
   * unsampled span whose ids nothing has seen yet starts again, recording. Returns whether to keep the tag:
   * not when the value asks nothing or the trace already is debug.
   */
  private applySamplingPriority(value: unknown): boolean {
    const asked = samplingPriority(value);
    if (asked === undefined) return false;
    const span = this[OTEL_SPAN];
    const debug = this[SPAN_SIGNALS]?.state === 'debug';
    if (asked === 'deny') {
      if (span.isRecording() || debug) {
        this.fault(
          'samplingPriority:late:0',
          'sampling.priority 0 set after a sampled span started does not unsample it; set it in the tags of startSpan',
        );
      }
      return true;
    }
    if (debug) return false;
    if (!span.isRecording() && this.restart !== undefined) this.startAgain(this.restart);
    const current = this[OTEL_SPAN];
    if (!current.isRecording()) {
      this.fault(
        'samplingPriority:late',
        'sampling.priority set after an unsampled span started and was used (as a parent, injected) samples ' +
          'the spans after it, not the span itself; set it in the tags of startSpan',
      );
    }
    this[SPAN_SIGNALS] = markSpanDebug(current, this[SPAN_SIGNALS]);
    this.spanContext = undefined;
    this.contextWith = undefined;
    return true;
  }

  /** Replaces the unsampled OpenTelemetry span by one started again as the first of a debug trace. */
  private startAgain(restart: SpanRestart): void {
    this.restart = undefined;
    const start = withDebug(restart.parent);
    const span = this.owner.otelTracer.startSpan(restart.name, restart.options, start);
    if (restart.error) span.setStatus({ code: SpanStatusCode.ERROR });
    this[OTEL_SPAN] = span;
    this[SPAN_SIGNALS] = signalsOfSpan(start, span.spanContext());
    this.contextWith = undefined;
  }

  private fault(key: string, message: string): void {
    reportOnce(`span:${key}`, message, this.owner.logger);
  }
}
