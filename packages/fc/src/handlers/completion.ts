import { describeError } from '@tracery/commons';
import { fcReporter } from '../diagnostics/fcReporter';
import type { Invocation } from '../invocation/startInvocation';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs a callback-style entry point under the invocation. The handler gets a callback of its own; FC's callback
 * is called exactly once, with the handler's arguments, after the span is ended and flushed. A handler that
 * (also) returns a promise gets back a promise settling the same way after the flush. A synchronous throw is
 * rethrown at once, as unwrapped (the flush is started but cannot be waited for).
 */
export function completeCallbackStyle(
  invocation: Invocation,
  call: (callback: (...args: unknown[]) => void) => unknown,
  fcCallback: unknown,
): unknown {
  let calledBack = false;
  const callback = (...args: unknown[]): void => {
    if (calledBack) return;
    calledBack = true;
    const [error, result] = args;
    const failed = error !== undefined && error !== null;
    void invocation.finish({ failed, error, result }).then(() => {
      if (typeof fcCallback !== 'function') return;
      try {
        fcCallback(...args);
      } catch (thrown) {
        fcReporter.once(
          'callback-threw',
          `FC's callback threw after the flush: ${invocation.safeText(describeError(thrown))}`,
          { level: 'error' },
        );
      }
    });
  };
  let returned: unknown;
  try {
    returned = invocation.run(() => call(callback));
  } catch (error) {
    void invocation.finish({ failed: true, error });
    throw error;
  }
  if (!isThenable(returned)) return returned;
  return settleAfterFlush(invocation, returned);
}

/**
 * Runs an async (or value-returning) entry point under the invocation and returns a promise that settles like
 * the handler's after the span is ended and flushed: the same value, or the same error object (a synchronous
 * throw becomes a rejection).
 */
export function completeAsyncStyle(invocation: Invocation, call: () => unknown): Promise<unknown> {
  let returned: unknown;
  try {
    returned = invocation.run(call);
  } catch (error) {
    return invocation.finish({ failed: true, error }).then(() => Promise.reject(error));
  }
  if (!isThenable(returned))
    return invocation.finish({ failed: false, result: returned }).then(() => returned);
  return settleAfterFlush(invocation, returned);
}

function settleAfterFlush(invocation: Invocation, returned: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(returned).then(
    (result) => invocation.finish({ failed: false, result }).then(() => result),
    (error: unknown) => invocation.finish({ failed: true, error }).then(() => Promise.reject(error)),
  );
}

export { isThenable };
