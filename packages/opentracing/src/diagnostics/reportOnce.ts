import { createReporter } from '@tracery/commons';

/** This package's reporter (the one every Tracery package shares, scoped here). */
export const opentracingReporter = createReporter('@tracery/opentracing');

/** jaeger-client's logger shape: `options.logger` of `initTracer`. */
export interface JaegerLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Reports a tracing fault once per `key` (a fixed site: an option, a format, a tracer; never a value) through the
 * reporter every Tracery package shares (OpenTelemetry's `diag`) and, when the tracer was given one, through
 * jaeger-client's `options.logger` (its `error`). Never throws.
 */
export function reportOnce(key: string, message: string, logger?: JaegerLogger): void {
  if (!opentracingReporter.once(key, message)) return;
  try {
    logger?.error(`@tracery/opentracing: ${message}`);
  } catch {
    // A throwing jaeger-client logger must not reach user code.
  }
}
