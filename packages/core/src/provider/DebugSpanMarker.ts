import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { markDebugSpan } from '@tracery/commons';
import { isDebug } from '../propagation/samplingSignals';

/**
 * Marks each span that starts in a debug trace (its context's sampling signals say debug for its trace:
 * an incoming Jaeger `…:3` or B3 debug header, `debug: true`, `withDebug`), so exporters write it as debug
 * (Jaeger flag `0x02`, Zipkin `debug: true`), as Jaeger's clients sent the spans of such a trace. One context
 * lookup per span; nothing is held (the mark goes with the span).
 */
export class DebugSpanMarker implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const spanContext = span.spanContext();
    if (isDebug(parentContext, spanContext.traceId)) markDebugSpan(spanContext);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
