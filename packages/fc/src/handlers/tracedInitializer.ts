import { resolveSettings } from '../invocation/settings';
import { runUntraced } from '../invocation/runUntraced';
import { startInvocation } from '../invocation/startInvocation';
import type { FcCallback, FcContext, FcTracingOptions } from '../types';
import { completeAsyncStyle, completeCallbackStyle } from './completion';

/**
 * Wraps an FC initializer, `(context, callback)` or `async (context)`: the initialization is a SERVER span named
 * `<function> initializer` (`faas.coldstart` true; it does not count as the instance's first invocation), under
 * FC's span, flushed before FC hears the initializer is done. Same shape as the wrapped function.
 *
 * @example
 * exports.initializer = tracedInitializer(async (context) => { await connectToDatabase(); });
 */
export function tracedInitializer(
  initializer: (context: FcContext) => unknown,
  options?: FcTracingOptions,
): (context: FcContext) => Promise<unknown>;
export function tracedInitializer(
  initializer: (context: FcContext, callback: FcCallback) => unknown,
  options?: FcTracingOptions,
): (context: FcContext, callback: FcCallback) => unknown;
export function tracedInitializer(
  initializer: ((context: FcContext, callback: FcCallback) => unknown) | ((context: FcContext) => unknown),
  options?: FcTracingOptions,
): ((context: FcContext, callback: FcCallback) => unknown) | ((context: FcContext) => Promise<unknown>) {
  if (typeof initializer !== 'function')
    throw new TypeError('tracedInitializer: the initializer must be a function');
  const settings = resolveSettings(options);
  if (initializer.length >= 2) {
    const withCallback = initializer as (context: FcContext, callback: FcCallback) => unknown;
    return function tracedCallbackInitializer(
      this: unknown,
      context: FcContext,
      callback: FcCallback,
    ): unknown {
      const invocation = startInvocation(settings, 'initializer', context, undefined);
      if (invocation === undefined) return runUntraced(() => withCallback.call(this, context, callback));
      return completeCallbackStyle(
        invocation,
        (ownCallback) => withCallback.call(this, context, ownCallback),
        callback,
      );
    };
  }
  const asyncInitializer = initializer as (context: FcContext) => unknown;
  return function tracedAsyncInitializer(this: unknown, context: FcContext): Promise<unknown> {
    const invocation = startInvocation(settings, 'initializer', context, undefined);
    if (invocation === undefined)
      return runUntraced(() => asyncInitializer.call(this, context) as Promise<unknown>);
    return completeAsyncStyle(invocation, () => asyncInitializer.call(this, context));
  };
}
