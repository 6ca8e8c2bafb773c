import 'reflect-metadata';
import { trace } from '@opentelemetry/api';
import { Traced } from '@tracery/core';
import {
  tracedHandler,
  tracedHttpHandler,
  type FcCallback,
  type FcContext,
  type FcHttpResponse,
} from '../../src';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { fcContext, FC_SPAN_CONTEXT } from '../helpers/fcContexts';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

// Nothing is registered in this file: the first traced call builds this package's own provider, exporting to
// context.tracing.jaegerEndpoint. Then FC turns tracing off for a call on the same instance.

class Kitchen {
  /** Whether the span of this call records (`undefined`: no span at all). */
  @Traced('Kitchen.cook')
  async cook(_dish: string): Promise<boolean | undefined> {
    await new Promise((resolve) => setImmediate(resolve));
    return trace.getActiveSpan()?.isRecording();
  }
}

describe('tracedHandler on an instance whose earlier call was traced', () => {
  let collector: FakeJaegerCollector;
  const kitchen = new Kitchen();
  const traced = (): FcContext =>
    fcContext({
      tracing: {
        openTracingSpanContext: FC_SPAN_CONTEXT,
        openTracingSpanBaggages: {},
        jaegerEndpoint: collector.url,
      },
    });
  const off = (): FcContext => fcContext({ tracing: { openTracingSpanBaggages: {} } });
  const cook = tracedHandler(async (event: Buffer, _context: FcContext) => kitchen.cook(event.toString()));

  beforeAll(async () => {
    collector = await startFakeJaegerCollector();
    expect(await cook(Buffer.from('first'), traced())).toBe(true);
  });
  afterAll(async () => {
    await collector.close();
    resetOpenTelemetry();
  });

  describe('when FC turns tracing off for the next call (no endpoint, no span context)', () => {
    it("records nothing: the handler's @Traced spans do not record", async () => {
      expect(await cook(Buffer.from('untraced'), off())).not.toBe(true);
    });

    it('sends nothing, not even with the next traced call', async () => {
      const before = collector.spans().length;
      await cook(Buffer.from('untraced'), off());
      await cook(Buffer.from('flush'), traced());
      const sent = collector.spans().slice(before);
      // the traced call's invocation span and its Kitchen.cook span, nothing of the untraced call
      expect(sent.map((span) => span.operationName).sort()).toEqual(['Kitchen.cook', 'orders-fn']);
      expect(new Set(sent.map((span) => span.traceId)).size).toBe(1);
    });

    it('still returns the same promise object the handler returns', () => {
      const promise = Promise.resolve('as is');
      const handler = tracedHandler((_event: Buffer, _context: FcContext) => promise);
      expect(handler(Buffer.alloc(0), off())).toBe(promise);
    });

    it('records nothing in a callback-style handler either', async () => {
      const handler = tracedHandler((_event: Buffer, _context: FcContext, callback: FcCallback) => {
        kitchen.cook('callback').then((recording) => callback(null, recording), callback);
      });
      const recording = await new Promise((resolve) =>
        handler(Buffer.alloc(0), off(), (_e, r) => resolve(r)),
      );
      expect(recording).not.toBe(true);
    });

    it('records nothing in an HTTP handler either', async () => {
      let recording: Promise<boolean | undefined> | undefined;
      const response: FcHttpResponse = { send: () => undefined };
      tracedHttpHandler((_req, resp: FcHttpResponse) => {
        recording = kitchen.cook('http');
        resp.send('ok');
      })({ headers: {} }, response, off());
      expect(await recording).not.toBe(true);
    });
  });

  describe('when tracing is on again', () => {
    it('records and sends as before', async () => {
      const before = collector.spans().length;
      expect(await cook(Buffer.from('again'), traced())).toBe(true);
      const sent = collector.spans().slice(before);
      expect(sent.map((span) => span.operationName).sort()).toEqual(['Kitchen.cook', 'orders-fn']);
    });
  });
});
