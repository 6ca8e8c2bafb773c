import { createReporter, describeError } from '@tracery/commons';

/** This package's reporter (the one every Tracery package shares, scoped here). */
export const coreReporter = createReporter('@tracery/core');

/**
 * Reports a tracing fault of this package through OpenTelemetry's `diag` once per `key` (a fixed site: a decorated
 * method, a tag, an option; never a value), so a fault that repeats on every call is logged once. Never throws.
 * The rule itself (bounded keys, a throwing logger ignored) is `@tracery/commons`' reporter, shared by every package.
 */
export function reportOnce(key: string, message: string, error?: unknown): void {
  coreReporter.once(key, message, { error });
}

export { describeError };
