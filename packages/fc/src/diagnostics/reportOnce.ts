import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/** Reports a tracing fault through `diag` once per process for each `key`, so a fault repeated on every call is logged once. */
export function reportOnce(key: string, level: 'warn' | 'error' | 'info' | 'debug', message: string): void {
  if (reported.has(key)) return;
  reported.add(key);
  try {
    diag[level](`@tracery/fc: ${message}`);
  } catch {
    // a broken diag logger must not break the function
  }
}
