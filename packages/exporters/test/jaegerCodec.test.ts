import { decodeJaegerBatch, encodeJaegerBatch } from '@tracery/exporters';
import { recordSampleTrace } from './support/sampleTrace';

describe('the public Jaeger codec', () => {
  describe('when a batch is encoded and decoded again', () => {
    it('gives back the service, the span names, ids and parents', () => {
      const spans = recordSampleTrace('codec-shop');
      const batch = decodeJaegerBatch(encodeJaegerBatch(spans));

      expect(batch.process.serviceName).toBe('codec-shop');
      const byName = new Map(batch.spans.map((span) => [span.operationName, span]));
      expect([...byName.keys()].sort()).toEqual(spans.map((span) => span.name).sort());
      for (const span of spans) {
        const decoded = byName.get(span.name)!;
        expect(decoded.traceId).toBe(span.spanContext().traceId);
        expect(decoded.spanId).toBe(span.spanContext().spanId);
        expect(decoded.parentSpanId).toBe(span.parentSpanContext?.spanId ?? '0000000000000000');
      }
    });
  });

  describe('when the body is not a batch', () => {
    it('throws an Error instead of reading past the buffer', () => {
      const body = encodeJaegerBatch(recordSampleTrace());
      expect(() => decodeJaegerBatch(body.subarray(0, body.length - 7))).toThrow(Error);
    });
  });
});
