import { propagation, SpanStatusCode, type Baggage, type Span } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import { OpenTracingSpanContext } from './OpenTracingSpanContext';
import { isErrorTag, logEvent, toAttributeValue } from './tagValues';

/** Where an OpenTracing span keeps its OpenTelemetry span (not part of the public API). */
export const OTEL_SPAN = Symbol('tracery.opentracing.span');
/** Where it keeps its current baggage (not part of the public API). */
export const SPAN_BAGGAGE = Symbol('tracery.opentracing.spanBaggage');

/** jaeger-client's default limit on a baggage value; longer values are truncated (and the log says so). */
export const MAX_BAGGAGE_VALUE_LENGTH = 2048;
/** Most baggage items a span carries (W3C baggage's limit); further items are not set (reported once). */
export const MAX_BAGGAGE_ITEMS = 180;

/** What a span needs from its tracer. */
export interface SpanOwner {
  readonly tracer: opentracing.Tracer;
  readonly attributeLengthLimit: number;
  readonly logger: JaegerLogger | undefined;
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
  readonly [OTEL_SPAN]: Span;
  [SPAN_BAGGAGE]: Baggage | undefined;
  /** Made when first asked for (most spans never are), and anew after each baggage change. */
  private spanContext: OpenTracingSpanContext | undefined;

  /** @internal built by `OpenTracingTracer.startSpan`. */
  constructor(
    private readonly owner: SpanOwner,
    span: Span,
    baggage: Baggage | undefined,
  ) {
    super();
    this[OTEL_SPAN] = span;
    this[SPAN_BAGGAGE] = baggage;
  }

  override context(): OpenTracingSpanContext {
    return (this.spanContext ??= new OpenTracingSpanContext(
      this[OTEL_SPAN].spanContext(),
      this[SPAN_BAGGAGE],
    ));
  }

  override tracer(): opentracing.Tracer {
    return this.owner.tracer;
  }

  override setOperationName(name: string): this {
    try {
      this[OTEL_SPAN].updateName(String(name));
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
      for (const key of Object.keys(keyValueMap)) this.applyTag(key, keyValueMap[key]);
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
    try {
      this[OTEL_SPAN].end(typeof finishTime === 'number' ? finishTime : undefined);
    } catch {
      this.fault('finish', 'a span could not be finished');
    }
  }

  private applyTag(key: string, value: unknown): void {
    const span = this[OTEL_SPAN];
    if (isErrorTag(key, value)) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      return;
    }
    const attribute = toAttributeValue(value, this.owner.attributeLengthLimit);
    if (attribute !== undefined) span.setAttribute(key, attribute);
  }

  private fault(key: string, message: string): void {
    reportOnce(`span:${key}`, message, this.owner.logger);
  }
}
