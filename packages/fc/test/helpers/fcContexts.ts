import type { FcContext } from '../../src';

/** FC's invocation span in the tests: 64-bit trace id (as FC sends it), sampled. */
export const FC_TRACE_ID = '1f2e3d4c5b6a7988';
export const FC_SPAN_ID = 'a1b2c3d4e5f60718';
export const FC_SPAN_CONTEXT = `${FC_TRACE_ID}:${FC_SPAN_ID}:0:1`;
export const PADDED_FC_TRACE_ID = `0000000000000000${FC_TRACE_ID}`;

export const SECRET_ACCESS_KEY = 'SECRET-ACCESS-KEY-7f3a9c';
export const SECRET_SECURITY_TOKEN = 'SECRET-SECURITY-TOKEN-4e1b';

let sequence = 0;

/** An FC-shaped context; `tracing` replaces the default one (sampled FC span, no endpoint). */
export function fcContext(overrides: Partial<FcContext> = {}): FcContext {
  sequence++;
  return {
    requestId: `req-${sequence}`,
    credentials: {
      accessKeyId: 'AKID-TEST-1234',
      accessKeySecret: SECRET_ACCESS_KEY,
      securityToken: SECRET_SECURITY_TOKEN,
    },
    function: { name: 'orders-fn', handler: 'index.handler', memory: 256, timeout: 30 },
    service: { name: 'orders-service', qualifier: 'LATEST' },
    region: 'cn-hangzhou',
    accountId: '1234567890',
    retryCount: 0,
    tracing: { openTracingSpanContext: FC_SPAN_CONTEXT, openTracingSpanBaggages: {} },
    ...overrides,
  };
}
