import { SpanStatusCode, type AttributeValue, type Span } from '@opentelemetry/api';
import { describeError, reportOnce } from '../diagnostics/reportOnce';

/** An attribute computed from a traced call's result (a method `@SpanTag`, `recordResult`). */
export interface ResultTag {
  /** Attribute key. */
  readonly key: string;
  /** Maps the result to the attribute value; `undefined` records nothing. May throw. */
  readonly extract: (result: unknown) => AttributeValue | undefined;
  /** Key under which a failure of `extract` is reported once. */
  readonly reportKey: string;
}

/** What ends a span of a traced call: built once per decorated method (or per `withSpan` call). */
export interface SpanSettlement {
  /** The span name, for diagnostics. */
  readonly name: string;
  /** Tags computed from the result; read at settle time, so tags added later by decorators count. */
  readonly resultTags: readonly ResultTag[];
  /** Decides whether an error sets status ERROR; default every error does. */
  readonly isError?: (error: unknown) => boolean;
}

const nativeThen = Promise.prototype.then;

/**
 * True for a native promise whose `then` is the built-in one, the only kind whose `then` tracing calls:
 * a user-defined thenable's `then` may start lazy work, so it is never called.
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  try {
    return (
      value instanceof Promise &&
      Object.getPrototypeOf(value) === Promise.prototype &&
      (value as Promise<unknown>).then === nativeThen
    );
  } catch {
    return false; // a revoked proxy or a throwing trap is not a promise we may touch
  }
}

/**
 * Calls `fn` and ends `span` when it completes: at once for a sync result or a throw, when it settles for a
 * native promise. Returns exactly what `fn` returns (the same promise object) and rethrows exactly what it
 * throws. Meant to run inside `context.with` with `span` active.
 */
export function callAndSettle(
  span: Span,
  settlement: SpanSettlement,
  fn: (...args: unknown[]) => unknown,
  self: unknown,
  args: ArrayLike<unknown>,
): unknown {
  let result: unknown;
  try {
    result = Reflect.apply(fn, self, args);
  } catch (error) {
    endWithError(span, settlement, error);
    throw error;
  }
  if (isNativePromise(result)) {
    // The derived promise cannot reject (both handlers catch everything), so no unhandled rejection is added.
    nativeThen.call(
      result,
      (value: unknown) => endWithResult(span, settlement, value),
      (error: unknown) => endWithError(span, settlement, error),
    );
    return result;
  }
  endWithResult(span, settlement, result, true);
  return result;
}

/** Records the result tags (not for a non-native thenable's value, which is never inspected) and ends the span. */
export function endWithResult(
  span: Span,
  settlement: SpanSettlement,
  result: unknown,
  mayBeThenable = false,
): void {
  const tags = settlement.resultTags;
  if (tags.length > 0 && !(mayBeThenable && isThenable(result))) {
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i];
      try {
        const value = tag.extract(result);
        if (value !== undefined) span.setAttribute(tag.key, value);
      } catch (error) {
        reportOnce(tag.reportKey, `tag '${tag.key}' of ${settlement.name} skipped`, error);
      }
    }
  }
  endSpan(span, settlement);
}

/** Records the exception event and (unless `isError` says no) status ERROR, then ends the span. */
export function endWithError(span: Span, settlement: SpanSettlement, error: unknown): void {
  try {
    span.recordException(exceptionOf(error));
    if (isError(settlement, error)) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage(error) });
    }
  } catch (failure) {
    reportOnce(`settle:${settlement.name}`, `could not record the error of ${settlement.name}`, failure);
  }
  endSpan(span, settlement);
}

function endSpan(span: Span, settlement: SpanSettlement): void {
  try {
    span.end();
  } catch (failure) {
    reportOnce(`end:${settlement.name}`, `could not end the span of ${settlement.name}`, failure);
  }
}

function isError(settlement: SpanSettlement, error: unknown): boolean {
  if (settlement.isError === undefined) return true;
  try {
    return settlement.isError(error) !== false;
  } catch (failure) {
    reportOnce(
      `isError:${settlement.name}`,
      `isError of ${settlement.name} threw; counted as an error`,
      failure,
    );
    return true;
  }
}

/** `recordException` takes an Error-like object or a string; anything else is described as a string. */
function exceptionOf(error: unknown): Error | string {
  try {
    if (error instanceof Error || typeof error === 'string') return error;
    if (error !== null && typeof error === 'object') {
      const { name, message } = error as { name?: unknown; message?: unknown };
      if (typeof message === 'string') return { name: typeof name === 'string' ? name : 'Error', message };
    }
  } catch {
    // unreadable (throwing getter, revoked proxy): described by its type below
  }
  return describeError(error);
}

/** The status message: an error's message, a thrown string, else the thrown value's type. */
function statusMessage(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
  } catch {
    // fall through
  }
  return describeError(error);
}

function isThenable(value: unknown): boolean {
  try {
    return (
      value !== null &&
      (typeof value === 'object' || typeof value === 'function') &&
      typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    return true; // unreadable: do not inspect it further
  }
}
