import { describeEvent } from '../events/describeEvent';
import { runUntraced } from '../invocation/runUntraced';
import { resolveSettings } from '../invocation/settings';
import { startInvocation } from '../invocation/startInvocation';
import type { FcAsyncHandler, FcCallbackHandler, FcContext, FcTracingOptions } from '../types';
import { completeAsyncStyle, completeCallbackStyle } from './completion';

/**
 * Wraps an FC event handler so that each call is a SERVER span named after the function, child of FC's
 * invocation span, active while the handler runs, and exported before the result is handed back to FC.
 *
 * The wrapper has the handler's shape: a callback-style handler `(event, context, callback)` (three or more
 * declared parameters) gives a callback-style function whose callback fires once, after the flush; an async
 * handler `(event, context)` gives an async function resolving (or rejecting with the same error) after the flush.
 * With tracing off (no `jaegerEndpoint` and no registered provider) the handler is called as is.
 *
 * @example
 * exports.handler = tracedHandler(async (event, context) => {
 *   return { ok: true };
 * });
 */
export function tracedHandler<E = Buffer, R = unknown>(
  handler: FcAsyncHandler<E, R>,
  options?: FcTracingOptions,
): (event: E, context: FcContext) => Promise<R>;
export function tracedHandler<E = Buffer, R = unknown>(
  handler: FcCallbackHandler<E, R>,
  options?: FcTracingOptions,
): FcCallbackHandler<E, R>;
export function tracedHandler<E, R>(
  handler: FcCallbackHandler<E, R> | FcAsyncHandler<E, R>,
  options?: FcTracingOptions,
): FcCallbackHandler<E, R> | ((event: E, context: FcContext) => Promise<R>) {
  if (typeof handler !== 'function') throw new TypeError('tracedHandler: the handler must be a function');
  const settings = resolveSettings(options);
  const inspection = settings.eventInspection;
  const describe = (event: unknown) =>
    inspection === 'none' ? undefined : describeEvent(event, inspection === 'http');

  if (handler.length >= 3) {
    const callbackHandler = handler as FcCallbackHandler<E, R>;
    return function tracedCallbackHandler(this: unknown, event: E, context: FcContext, callback): unknown {
      const invocation = startInvocation(settings, 'event', context, describe(event));
      if (invocation === undefined) {
        return runUntraced(() => callbackHandler.call(this, event, context, callback));
      }
      return completeCallbackStyle(
        invocation,
        (ownCallback) => callbackHandler.call(this, event, context, ownCallback),
        callback,
      );
    };
  }
  const asyncHandler = handler as FcAsyncHandler<E, R>;
  return function tracedAsyncHandler(this: unknown, event: E, context: FcContext): Promise<R> {
    const invocation = startInvocation(settings, 'event', context, describe(event));
    if (invocation === undefined)
      return runUntraced(() => asyncHandler.call(this, event, context) as Promise<R>);
    return completeAsyncStyle(invocation, () => asyncHandler.call(this, event, context)) as Promise<R>;
  };
}
