import { randomBytes, randomUUID } from 'node:crypto';
import type { FcCallback, FcContext, InvokeLocalOptions } from '../types';

/** Fields of the context `invokeLocal` makes when none are given. */
const LOCAL_DEFAULTS = {
  functionName: 'local-function',
  handler: 'index.handler',
  memoryMb: 128,
  timeoutSeconds: 60,
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
} as const;

/** Stand-ins for FC's temporary credentials: clearly fake, so that tests can check they never leak. */
const PLACEHOLDER_CREDENTIALS = {
  accessKeyId: 'LOCAL-PLACEHOLDER-ACCESS-KEY-ID',
  accessKeySecret: 'LOCAL-PLACEHOLDER-ACCESS-KEY-SECRET',
  securityToken: 'LOCAL-PLACEHOLDER-SECURITY-TOKEN',
};

/**
 * Calls an FC event handler the way FC does, for development and tests: the event as a Buffer, an FC-shaped
 * `context` (request id, function `{ name, handler, memory, timeout }`, service, region, account id, placeholder
 * credentials, `console` as logger) and, with `tracing`, `context.tracing` holding a fresh sampled span
 * context of a fresh trace (FC's invocation span) and the `jaegerEndpoint` you give. A handler declaring three
 * parameters is called callback-style, otherwise awaited. Resolves with the result, rejects with the error.
 *
 * @example
 * const collector = await startFakeJaegerCollector();
 * const result = await invokeLocal(handler, { event: { name: 'x' }, tracing: { jaegerEndpoint: collector.url } });
 */
export function invokeLocal<R>(
  handler: (event: never, context: FcContext) => R | PromiseLike<R>,
  options?: InvokeLocalOptions,
): Promise<R>;
export function invokeLocal<R = unknown>(
  handler: (event: never, context: FcContext, callback: FcCallback<R>) => unknown,
  options?: InvokeLocalOptions,
): Promise<R>;
export function invokeLocal<R>(
  handler:
    | ((event: never, context: FcContext) => unknown)
    | ((event: never, context: FcContext, callback: FcCallback<R>) => unknown),
  options: InvokeLocalOptions = {},
): Promise<R> {
  const context = localContext(options);
  const event = toEventBuffer(options.event);
  const call = handler as (event: unknown, context: FcContext, callback?: FcCallback<R>) => unknown;
  if (handler.length >= 3) {
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const callback: FcCallback<R> = (error, result) => {
        if (settled) return;
        settled = true;
        if (error !== undefined && error !== null) reject(error);
        else resolve(result as R);
      };
      try {
        const returned = call(event, context, callback);
        if (
          returned !== null &&
          typeof returned === 'object' &&
          typeof (returned as PromiseLike<R>).then === 'function'
        ) {
          (returned as PromiseLike<R>).then(
            (result) => callback(undefined, result),
            (error: unknown) => callback(error ?? new Error('handler rejected')),
          );
        }
      } catch (error) {
        callback(error ?? new Error('handler threw'));
      }
    });
  }
  return new Promise<R>((resolve) => resolve(call(event, context) as R | PromiseLike<R>));
}

/** The FC-shaped context `invokeLocal` passes (exported for tests that need the same shape). */
export function localContext(options: InvokeLocalOptions = {}): FcContext {
  const overrides = options.context ?? {};
  const tracing =
    options.tracing === undefined || options.tracing === false
      ? { openTracingSpanBaggages: {} }
      : {
          openTracingSpanContext:
            options.tracing.openTracingSpanContext ?? freshSpanContext(options.tracing.sampled !== false),
          openTracingSpanBaggages: { ...(options.tracing.openTracingSpanBaggages ?? {}) },
          ...(options.tracing.jaegerEndpoint !== undefined
            ? { jaegerEndpoint: options.tracing.jaegerEndpoint }
            : {}),
        };
  return {
    requestId: randomUUID(),
    credentials: { ...PLACEHOLDER_CREDENTIALS },
    region: LOCAL_DEFAULTS.region,
    accountId: LOCAL_DEFAULTS.accountId,
    retryCount: 0,
    logger: console,
    tracing,
    ...overrides,
    function: {
      name: LOCAL_DEFAULTS.functionName,
      handler: LOCAL_DEFAULTS.handler,
      memory: LOCAL_DEFAULTS.memoryMb,
      timeout: LOCAL_DEFAULTS.timeoutSeconds,
      ...(overrides.function ?? {}),
    },
    service: {
      name: 'local-service',
      logProject: '',
      logStore: '',
      qualifier: 'LATEST',
      versionId: '',
      ...(overrides.service ?? {}),
    },
  };
}

/** A Jaeger span context string for a new trace, as FC sends it: 64-bit ids, parent 0, flags 1 or 0. */
function freshSpanContext(sampled: boolean): string {
  const id = (): string => {
    let hex = randomBytes(8).toString('hex');
    while (/^0+$/.test(hex)) hex = randomBytes(8).toString('hex');
    return hex;
  };
  return `${id()}:${id()}:0:${sampled ? '1' : '0'}`;
}

function toEventBuffer(event: unknown): Buffer {
  if (Buffer.isBuffer(event)) return event;
  if (event === undefined) return Buffer.alloc(0);
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  return Buffer.from(JSON.stringify(event), 'utf8');
}
