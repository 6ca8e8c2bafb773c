import { diag } from '@opentelemetry/api';

/** Keys already reported. Bounded: keys name fixed sites (an option, a format, a tracer), not values. */
const reported = new Set<string>();
const MAX_REPORTED_KEYS = 10_000;

/** jaeger-client's logger shape: `options.logger` of `initTracer`. */
export interface JaegerLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Reports a tracing fault once per `key` through OpenTelemetry's `diag` logger and, when the tracer was
 * given one, through jaeger-client's `options.logger` (its `error`). Never throws.
 */
export function reportOnce(key: string, message: string, logger?: JaegerLogger): void {
  if (reported.has(key)) return;
  if (reported.size < MAX_REPORTED_KEYS) reported.add(key);
  const text = `@tracery/opentracing: ${message}`;
  try {
    diag.warn(text);
  } catch {
    // A throwing logger must not reach user code.
  }
  try {
    logger?.error(text);
  } catch {
    // Nor a throwing jaeger-client logger.
  }
}
