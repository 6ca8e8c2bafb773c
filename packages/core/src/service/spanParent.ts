import { trace, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { reportOnce } from '../diagnostics/reportOnce';
import { contextWithSpan } from '../propagation/samplingSignals';

/**
 * What a span's parent (or what to inject, or to make active) may be given as: a span, a span context (a
 * remote one, or one named by a link), or an OpenTelemetry `Context` (such as `extract`'s result).
 */
export type SpanParent = Span | SpanContext | Context;

/**
 * The context a `SpanParent` stands for: a context as it is; a span or span context put into `base` (whose
 * baggage stays), with the sampling signals the span was started under (so a debug span's children and
 * headers stay debug). Anything else is reported once and gives `base`. Never throws.
 */
export function contextOfParent(parent: SpanParent, base: Context): Context {
  try {
    if (typeof (parent as Partial<Span>).spanContext === 'function') {
      return contextWithSpan(base, parent as Span);
    }
    if (typeof (parent as Partial<Context>).getValue === 'function') return parent as Context;
    const spanContext = parent as Partial<SpanContext> | null;
    if (
      spanContext !== null &&
      typeof spanContext === 'object' &&
      typeof spanContext.traceId === 'string' &&
      typeof spanContext.spanId === 'string'
    ) {
      return contextWithSpan(base, trace.wrapSpanContext(spanContext as SpanContext));
    }
  } catch {
    // a hostile object (a throwing getter, a revoked proxy): reported below
  }
  reportOnce(
    'parent:invalid',
    'a parent, inject source or span to activate that is not a span, a span context or a context was ignored; ' +
      'the active context was used',
  );
  return base;
}
