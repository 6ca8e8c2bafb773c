import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracedInitializer, type FcCallback, type FcContext } from '../../src';
import { fcContext, FC_SPAN_ID } from '../helpers/fcContexts';
import { useMemoryTracing } from '../helpers/memoryTracing';

describe('tracedInitializer', () => {
  const tracing = useMemoryTracing();

  describe('when the initializer is async', () => {
    it("records '<function> initializer' under FC's span, exported before it resolves", async () => {
      const initializer = tracedInitializer(async (_context: FcContext) => 'ready', {
        tracerProvider: tracing.provider,
      });
      expect(initializer.length).toBe(1);
      await expect(initializer(fcContext())).resolves.toBe('ready');
      const [span] = tracing.spans();
      expect(span.name).toBe('orders-fn initializer');
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.attributes['faas.coldstart']).toBe(true);
    });
  });

  describe('when the initializer is callback style', () => {
    it('calls back once after the flush, with the same error', async () => {
      const failure = new Error('config missing');
      const initializer = tracedInitializer(
        (_context: FcContext, callback: FcCallback) => callback(failure),
        {
          tracerProvider: tracing.provider,
        },
      );
      expect(initializer.length).toBe(2);
      const seen = await new Promise<{ error: unknown; exported: number }>((resolve) =>
        initializer(fcContext(), (error) => resolve({ error, exported: tracing.spans().length })),
      );
      expect(seen).toEqual({ error: failure, exported: 1 });
      expect(tracing.spans()[0].status.code).toBe(SpanStatusCode.ERROR);
    });
  });
});
