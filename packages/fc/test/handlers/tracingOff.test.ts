import { trace } from '@opentelemetry/api';
import {
  tracedHandler,
  tracedInitializer,
  tracedHttpHandler,
  type FcCallback,
  type FcContext,
  type FcHttpResponse,
} from '../../src';
import { fcContext } from '../helpers/fcContexts';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

// No provider is registered in this file and FC gives no endpoint: tracing is off.
describe('tracedHandler', () => {
  let diagCapture: DiagCapture;
  beforeAll(() => {
    diagCapture = captureDiag();
  });
  afterAll(() => resetOpenTelemetry());

  const offContexts: [string, FcContext][] = [
    ['tracing with only empty baggage', fcContext({ tracing: { openTracingSpanBaggages: {} } })],
    ['no tracing field', fcContext({ tracing: undefined })],
    ['a span context but no endpoint', fcContext()],
  ];

  describe.each(offContexts)('when tracing is off (%s)', (_label, context) => {
    it('returns exactly what the async handler returns (the same promise object)', () => {
      const promise = Promise.resolve('result');
      const handler = tracedHandler((_event: Buffer, _context: FcContext) => promise);
      expect(handler(Buffer.alloc(0), context)).toBe(promise);
    });

    it('hands the callback style handler its arguments untouched', () => {
      const event = Buffer.from('e');
      const callback: FcCallback = () => undefined;
      const seen: unknown[][] = [];
      const handler = tracedHandler((e: Buffer, c: FcContext, cb: FcCallback) => {
        seen.push([e, c, cb]);
        return 'sync-return';
      });
      expect(handler(event, context, callback)).toBe('sync-return');
      expect(seen[0][0]).toBe(event);
      expect(seen[0][1]).toBe(context);
      expect(seen[0][2]).toBe(callback);
    });

    it('leaves resp.send untouched for HTTP handlers', () => {
      const response: FcHttpResponse = { send: () => undefined };
      const send = response.send;
      tracedHttpHandler((_req, resp: FcHttpResponse) => resp.send('x'))({}, response, context);
      expect(response.send).toBe(send);
    });

    it('makes no span active in the handler', async () => {
      const handler = tracedHandler(async () => trace.getActiveSpan());
      expect(await handler(Buffer.alloc(0), context)).toBeUndefined();
    });
  });

  describe('when tracing stays off over many calls', () => {
    it('reports it once through diag, not once per call', async () => {
      const handler = tracedHandler(async () => 1);
      for (let i = 0; i < 20; i++)
        await handler(Buffer.alloc(0), fcContext({ tracing: { openTracingSpanBaggages: {} } }));
      expect(diagCapture.including('tracing is off')).toHaveLength(1);
    });
  });
});

describe('tracedHandler, tracedHttpHandler and tracedInitializer', () => {
  describe('when given something that is not a function', () => {
    it('throw a TypeError at wrap time, never at call time', () => {
      expect(() => tracedHandler(undefined as never)).toThrow(TypeError);
      expect(() => tracedHttpHandler('handler' as never)).toThrow(TypeError);
      expect(() => tracedInitializer({} as never)).toThrow(TypeError);
    });
  });
});
