import type { WaterfallSpan } from '@tracery/exporters';
import { killChildren } from '../support/childProcess';
import { runExample } from '../support/examples';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

/** The program behind `npm start` (which builds first, then runs exactly this). */
describe('examples/demo (npm start)', () => {
  afterAll(killChildren);

  describe('when run with no external service', () => {
    let run: Awaited<ReturnType<typeof runExample>>;
    let spans: WaterfallSpan[];
    const named = (name: string, service?: string): WaterfallSpan[] =>
      spans.filter((span) => span.name === name && (service === undefined || span.serviceName === service));

    beforeAll(async () => {
      run = await runExample('demo', { args: ['--json'] });
      const json = run.lines.find((line) => line.startsWith('SPANS '));
      spans = json ? (JSON.parse(json.slice('SPANS '.length)) as WaterfallSpan[]) : [];
    });

    it('exits 0 by itself', () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    });

    it('collects one trace from three services in two processes', () => {
      expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
      expect(new Set(spans.map((span) => span.serviceName))).toEqual(
        new Set(['fc-platform', 'order-function', 'inventory-service']),
      );
      expect(spans).toHaveLength(14);
    });

    it('puts every span under the right parent, across the process boundary', () => {
      const parentOf = (span: WaterfallSpan): WaterfallSpan | undefined =>
        spans.find((other) => other.spanId === span.parentSpanId);
      const [fc] = named('FC Invoke order-function', 'fc-platform');
      const [invocation] = named('order-function', 'order-function');
      const [placeOrder] = named('OrderService.placeOrder');
      expect(fc.parentSpanId).toBeUndefined();
      expect(parentOf(invocation)).toBe(fc);
      expect(parentOf(placeOrder)).toBe(invocation);
      expect(parentOf(named('CouponService.discountFor')[0])).toBe(placeOrder);
      const reservations = named('InventoryClient.reserve');
      expect(reservations).toHaveLength(2);
      for (const reservation of reservations) {
        expect(parentOf(reservation)).toBe(placeOrder);
        // the request, recorded by OpenTelemetry's HTTP instrumentation on both sides
        const [call] = spans.filter((span) => span.parentSpanId === reservation.spanId);
        expect(call).toMatchObject({ name: 'POST', serviceName: 'order-function' });
        const [served] = spans.filter((span) => span.parentSpanId === call.spanId);
        expect(served).toMatchObject({ name: 'POST', serviceName: 'inventory-service' });
        const [reserve] = spans.filter((span) => span.parentSpanId === served.spanId);
        expect(reserve.name).toBe('StockLedger.reserve');
        expect(spans.filter((span) => span.parentSpanId === reserve.spanId).map((span) => span.name)).toEqual(
          ['SELECT stock'],
        );
      }
    });

    it('records the kinds, the @SpanTag values and the error span', () => {
      const [placeOrder] = named('OrderService.placeOrder');
      expect(placeOrder.attributes).toMatchObject({
        'order.id': 'o-1001',
        'order.channel': 'mobile-app',
        'order.status': 'accepted',
        'customer.id': 'c-42',
      });
      expect(named('POST', 'order-function').map((span) => span.attributes!['span.kind'])).toEqual([
        'client',
        'client',
      ]);
      expect(named('POST', 'inventory-service').map((span) => span.attributes!['span.kind'])).toEqual([
        'server',
        'server',
      ]);
      expect(named('POST').map((span) => span.attributes!['http.response.status_code'])).toEqual([
        200, 200, 200, 200,
      ]);
      expect(
        named('SELECT stock')
          .map((span) => span.attributes!['stock.available'] as number)
          .sort((a, b) => a - b),
      ).toEqual([3, 12]);
      expect(spans.filter((span) => span.error)).toEqual([
        expect.objectContaining({
          name: 'CouponService.discountFor',
          errorMessage: 'coupon SPRING24 has expired',
        }),
      ]);
    });

    it('prints the trace as a waterfall with durations, tags and the error marked', () => {
      const traceId = spans[0].traceId;
      expect(run.stdout).toContain(`trace ${traceId} · 14 spans`);
      expect(run.stdout).toMatch(/^FC Invoke order-function \[fc-platform\] +\d+\.\d\d ms +\|█/m);
      expect(run.stdout).toMatch(
        /^ {6}├─ CouponService\.discountFor ✗ +\d+\.\d\d ms .*ERROR: coupon SPRING24 has expired$/m,
      );
      expect(run.stdout).toMatch(/^ {6}│ {5}└─ POST \[inventory-service\] +\d+\.\d\d ms/m);
      expect(run.stdout).toContain('· order.id="o-1001"');
      expect(run.stdout).toContain('1 trace, 14 spans from 3 services');
    });
  });

  describe('when OTEL_TRACES_EXPORTER points it at another collector as well', () => {
    let collector: FakeJaegerCollector;

    beforeAll(async () => {
      collector = await startFakeJaegerCollector();
    });

    afterAll(() => collector.close());

    it('sends the same trace there, from every process', async () => {
      const run = await runExample('demo', {
        env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: collector.url },
      });
      expect(run.code).toBe(0);
      const traceId = /^trace ([0-9a-f]{32}) · 14 spans/m.exec(run.stdout)![1];
      expect(collector.spans().map((span) => span.traceId)).toEqual(Array(14).fill(traceId));
      expect(new Set(collector.batches.map((batch) => batch.serviceName))).toEqual(
        new Set(['fc-platform', 'order-function', 'inventory-service']),
      );
    });
  });
});
