import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { formatJaegerSpanContext } from '@tracery/core';
import type { JaegerLogger } from '../diagnostics/reportOnce';

/**
 * jaeger-client's `reporter.logSpans`: logs `Reporting span <trace>:<span>:0:<flags>` through the logger's
 * `info` for each finished sampled span. A throwing logger is ignored.
 */
export class LoggingSpanProcessor implements SpanProcessor {
  constructor(private readonly logger: JaegerLogger | undefined) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      this.logger?.info(`Reporting span ${formatJaegerSpanContext(span.spanContext())}`);
    } catch {
      // The user's logger must not break tracing.
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
