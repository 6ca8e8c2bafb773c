import 'reflect-metadata';
import { Traced, TracerService } from '@tracery/core';
import { tracedHandler, type FcContext } from '../../src';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { fcContext, FC_SPAN_CONTEXT, FC_SPAN_ID, PADDED_FC_TRACE_ID } from '../helpers/fcContexts';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

// The root README's migration path: `new TracerService({ serviceName })` for one's own spans (withSpan, @Traced),
// no exporter given, inside `tracedHandler`. Its provider is the global one, so the wrapper records with it.

class Menu {
  @Traced('Menu.price')
  async price(dish: string): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    return dish.length;
  }
}

describe('tracedHandler with a TracerService created without an exporter', () => {
  let collector: FakeJaegerCollector;
  let other: FakeJaegerCollector;
  let tracing: TracerService;
  let diagCapture: DiagCapture;
  const menu = new Menu();

  const traced = (endpoint: string): FcContext =>
    fcContext({
      tracing: {
        openTracingSpanContext: FC_SPAN_CONTEXT,
        openTracingSpanBaggages: {},
        jaegerEndpoint: endpoint,
      },
    });
  const off = (): FcContext => fcContext({ tracing: { openTracingSpanBaggages: {} } });
  const names = (c: FakeJaegerCollector): string[] =>
    c
      .spans()
      .map((span) => span.operationName)
      .sort();

  beforeAll(async () => {
    diagCapture = captureDiag();
    collector = await startFakeJaegerCollector();
    other = await startFakeJaegerCollector();
    tracing = new TracerService({ serviceName: 'orders' });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await collector.close();
    await other.close();
    resetOpenTelemetry();
  });

  const order = tracedHandler(async (event: Buffer, _context: FcContext) =>
    tracing.withSpan('take-order', () => menu.price(event.toString())),
  );

  describe('when FC tracing is off from the first call', () => {
    it('runs the handler, exports nothing, and says once why', async () => {
      expect(await order(Buffer.from('tea'), off())).toBe(3);
      expect(await order(Buffer.from('tea'), off())).toBe(3);
      expect(diagCapture.including('has no exporter')).toHaveLength(1);
      expect(diagCapture.including('has no exporter')[0].text).toContain('jaegerEndpoint is absent');
    });
  });

  describe('when FC hands over an endpoint', () => {
    it("sends the service's spans there, under FC's span, before the promise resolves", async () => {
      expect(await order(Buffer.from('soup'), traced(collector.url))).toBe(4);
      expect(names(collector)).toEqual(['Menu.price', 'orders-fn', 'take-order']);
      const byName = new Map(collector.spans().map((span) => [span.operationName, span]));
      expect(byName.get('orders-fn')).toMatchObject({
        traceId: PADDED_FC_TRACE_ID,
        parentSpanId: FC_SPAN_ID,
      });
      expect(byName.get('take-order')!.parentSpanId).toBe(byName.get('orders-fn')!.spanId);
      expect(byName.get('Menu.price')!.parentSpanId).toBe(byName.get('take-order')!.spanId);
      expect(new Set(collector.batches.map((batch) => batch.serviceName))).toEqual(new Set(['orders']));
    });

    it('follows the endpoint of each call', async () => {
      await order(Buffer.from('rice'), traced(other.url));
      expect(names(other)).toEqual(['Menu.price', 'orders-fn', 'take-order']);
    });

    it("counts the spans delivered in the TracerService's export stats", async () => {
      expect(tracing.exportStats().delivered).toBe(6);
    });
  });

  describe('when FC turns tracing off again', () => {
    it('records and sends nothing of that call', async () => {
      const before = collector.spans().length;
      await order(Buffer.from('untraced'), off());
      await order(Buffer.from('noodles'), traced(collector.url));
      expect(
        collector
          .spans()
          .slice(before)
          .map((span) => span.operationName)
          .sort(),
      ).toEqual(['Menu.price', 'orders-fn', 'take-order']);
    });
  });
});
