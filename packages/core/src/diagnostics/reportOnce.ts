import { diag } from '@opentelemetry/api';

/** Keys already reported. Bounded: keys name fixed sites (a decorated method, a tag, an option), not values. */
const reported = new Set<string>();
const MAX_REPORTED_KEYS = 10_000;

/**
 * Reports a tracing fault through OpenTelemetry's `diag` logger once per `key`, so a fault that repeats on
 * every call does not flood the log. Never throws.
 */
export function reportOnce(key: string, message: string, error?: unknown): void {
  if (reported.has(key)) return;
  if (reported.size < MAX_REPORTED_KEYS) reported.add(key);
  try {
    if (error === undefined) diag.warn(`@tracery/core: ${message}`);
    else diag.warn(`@tracery/core: ${message}: ${describeError(error)}`);
  } catch {
    // A throwing logger must not reach user code.
  }
}

/** A short, safe description of a thrown value: its name and message, never its other fields. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    if (typeof error === 'string') return error;
    return typeof error;
  } catch {
    return 'unknown error';
  }
}
