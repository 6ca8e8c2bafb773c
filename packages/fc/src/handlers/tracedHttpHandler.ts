import { resolveSettings } from '../invocation/settings';
import { runUntraced } from '../invocation/runUntraced';
import { startInvocation, type Invocation } from '../invocation/startInvocation';
import type { FcContext, FcHttpHandler, FcHttpRequest, FcHttpResponse, FcTracingOptions } from '../types';
import { describeError } from '@tracery/commons';
import { fcReporter } from '../diagnostics/fcReporter';
import { isThenable } from './completion';

/**
 * Wraps an FC 2.0 HTTP handler `(req, resp, context)`. The request is a SERVER span (`faas.trigger` `http`,
 * method, path, `http.response.status_code` from `resp.setStatusCode`), child of FC's span; an upstream
 * `traceparent` / `uber-trace-id` / `b3` request header becomes a link (or the parent when FC gave none).
 * `resp.send` is wrapped: the span is ended and flushed first, then the original `send` passes the response on.
 * A thrown error is rethrown at once as unwrapped; a rejected promise is passed on after the flush.
 *
 * @example
 * exports.handler = tracedHttpHandler((req, resp, context) => {
 *   resp.setStatusCode(200);
 *   resp.send('hello');
 * });
 */
export function tracedHttpHandler<
  Req extends FcHttpRequest = FcHttpRequest,
  Resp extends FcHttpResponse = FcHttpResponse,
>(handler: FcHttpHandler<Req, Resp>, options?: FcTracingOptions): FcHttpHandler<Req, Resp> {
  if (typeof handler !== 'function') throw new TypeError('tracedHttpHandler: the handler must be a function');
  const settings = resolveSettings(options);
  return function tracedHttp(this: unknown, request: Req, response: Resp, context: FcContext): unknown {
    const req = (typeof request === 'object' && request !== null ? request : {}) as FcHttpRequest;
    const invocation = startInvocation(settings, 'http', context, {
      trigger: 'http',
      headers: typeof req.headers === 'object' && req.headers !== null ? req.headers : undefined,
      method: typeof req.method === 'string' ? req.method : undefined,
      path: typeof req.path === 'string' ? req.path : undefined,
    });
    if (invocation === undefined) return runUntraced(() => handler.call(this, request, response, context));
    if (typeof response !== 'object' || response === null) {
      return handler.call(this, request, response, context);
    }
    wrapResponse(invocation, response);
    let returned: unknown;
    try {
      returned = invocation.run(() => handler.call(this, request, response, context));
    } catch (error) {
      void invocation.finish({ failed: true, error });
      throw error;
    }
    if (!isThenable(returned)) return returned;
    return Promise.resolve(returned).then(undefined, (error: unknown) =>
      invocation.finish({ failed: true, error }).then(() => Promise.reject(error)),
    );
  };
}

function wrapResponse(invocation: Invocation, response: FcHttpResponse): void {
  const originalSend = response.send;
  if (typeof originalSend === 'function') {
    let sent = false;
    response.send = function tracedSend(this: unknown, ...args: unknown[]): undefined {
      if (sent) {
        originalSend.apply(response, args as [unknown]);
        return undefined;
      }
      sent = true;
      void invocation.finish({ failed: false }).then(() => {
        try {
          originalSend.apply(response, args as [unknown]);
        } catch (error) {
          fcReporter.once(
            'send-threw',
            `resp.send threw after the flush: ${invocation.safeText(describeError(error))}`,
            { level: 'error' },
          );
        }
      });
      return undefined;
    };
  }
  const originalSetStatusCode = response.setStatusCode;
  if (typeof originalSetStatusCode === 'function') {
    response.setStatusCode = function tracedSetStatusCode(this: unknown, statusCode: number): unknown {
      invocation.setStatusCode(statusCode);
      return originalSetStatusCode.call(response, statusCode);
    };
  }
}
