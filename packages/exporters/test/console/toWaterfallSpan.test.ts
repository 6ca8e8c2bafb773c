import { toWaterfallSpan } from '@tracery/exporters';
import { recordSampleTrace, T0_SECONDS } from '../support/sampleTrace';

describe(toWaterfallSpan, () => {
  describe('when given SDK spans', () => {
    const [request, charge, checkout] = recordSampleTrace().map(toWaterfallSpan);

    it('keeps ids and links each span to its parent', () => {
      expect(checkout.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(checkout.parentSpanId).toBeUndefined();
      expect(charge.parentSpanId).toBe(checkout.spanId);
      expect(request.parentSpanId).toBe(charge.spanId);
    });

    it('converts times to milliseconds', () => {
      expect(checkout.startTimeMs).toBe(T0_SECONDS * 1000);
      expect(checkout.durationMs).toBe(100);
      expect(charge.startTimeMs - checkout.startTimeMs).toBe(20);
    });

    it('carries the error status, service name, attributes and events', () => {
      expect(charge).toMatchObject({ error: true, errorMessage: 'card declined', serviceName: 'shop' });
      expect(checkout.error).toBe(false);
      expect(checkout.attributes).toMatchObject({ 'http.method': 'POST', 'cart.items': 3 });
      expect(charge.events).toEqual([
        { name: 'retry', timeMs: T0_SECONDS * 1000 + 30, attributes: { attempt: 2 } },
      ]);
    });
  });
});
