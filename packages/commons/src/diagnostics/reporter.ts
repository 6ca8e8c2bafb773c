import { diag } from '@opentelemetry/api';

/** The `diag` levels tracing reports at. */
export type ReportLevel = 'error' | 'warn' | 'info' | 'debug';

/** Most distinct fault keys remembered per process; beyond it, new keys are no longer reported. */
export const MAX_REPORT_KEYS = 10_000;

/** Keys reported so far, as `<scope>:<key>`, shared by every reporter of the process. */
const reported = new Set<string>();
let keysExhausted = false;

/** Reports a fault through OpenTelemetry's `diag`, prefixed with the package it comes from. */
export interface Reporter {
  /** The prefix of every message, e.g. `@tracery/fc`. */
  readonly scope: string;
  /**
   * Reports `message` once per process for `key` (a fixed site or setting, never a value), at `level` (default
   * `warn`), with `error` described after it. Returns whether it reported.
   */
  once(key: string, message: string, details?: { level?: ReportLevel; error?: unknown }): boolean;
  /** Makes `key` reportable again, e.g. once the fault it names has gone away. */
  forget(key: string): void;
  /** Reports `message` now, whatever was reported before (for callers that track episodes themselves). */
  now(level: ReportLevel, message: string): void;
}

/**
 * A short, safe description of a thrown value: an Error's name and message, a thrown string as it is, otherwise
 * only the value's type (a thrown object may hold anything). Errors are recognised by shape too, so one from
 * another realm (a `vm` context, a test sandbox) is still described. Never throws.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error || isErrorLike(error)) return `${error.name}: ${error.message}`;
    if (typeof error === 'string') return error;
    return typeof error;
  } catch {
    return 'unknown error';
  }
}

function isErrorLike(value: unknown): value is { name: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function write(level: ReportLevel, text: string): void {
  try {
    diag[level](text);
  } catch {
    // A throwing logger must never reach the code being traced.
  }
}

/**
 * The reporter of one package. Every Tracery package reports its faults through one of these, so that "once"
 * means the same everywhere: once per process and key, with one bound on the keys remembered, and a logger that
 * throws never breaks the caller.
 *
 * @example
 * const report = createReporter('@tracery/fc');
 * report.once('bad-endpoint', 'context.tracing.jaegerEndpoint is not an http(s) URL: it is ignored');
 */
export function createReporter(scope: string): Reporter {
  return {
    scope,
    once(key, message, details) {
      const id = `${scope}:${key}`;
      if (reported.has(id)) return false;
      if (reported.size >= MAX_REPORT_KEYS) {
        if (!keysExhausted) {
          keysExhausted = true;
          write(
            'warn',
            `${scope}: more than ${MAX_REPORT_KEYS} distinct faults; further ones are not reported`,
          );
        }
        return false;
      }
      reported.add(id);
      const suffix = details?.error === undefined ? '' : `: ${describeError(details.error)}`;
      write(details?.level ?? 'warn', `${scope}: ${message}${suffix}`);
      return true;
    },
    forget(key) {
      reported.delete(`${scope}:${key}`);
    },
    now(level, message) {
      write(level, `${scope}: ${message}`);
    },
  };
}
