import 'reflect-metadata';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Traced, TracerService } from '@tracery/core';
import { tracingModule } from '@tracery/core/inversify';
import { Container, inject, injectable } from 'inversify';
import { tracedHandler, type FcContext } from '../../src';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { fcContext, FC_SPAN_CONTEXT, FC_SPAN_ID, PADDED_FC_TRACE_ID } from '../helpers/fcContexts';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

@injectable()
class PriceService {
  @Traced('PriceService.quote')
  async quote(sku: string): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    return sku.length * 100;
  }
}

@injectable()
class QuoteHandler {
  constructor(@inject(PriceService) private readonly prices: PriceService) {}

  async handle(event: Buffer): Promise<number> {
    return this.prices.quote(event.toString());
  }
}

describe('tracedHandler with the inversify set-up of @tracery/core', () => {
  let collector: FakeJaegerCollector;
  let exporter: InMemorySpanExporter;
  let container: Container;

  beforeAll(async () => {
    collector = await startFakeJaegerCollector();
    exporter = new InMemorySpanExporter();
    container = new Container();
    await container.load(tracingModule({ serviceName: 'pricing', exporter }));
    container.bind(PriceService).toSelf().inSingletonScope();
    container.bind(QuoteHandler).toSelf().inSingletonScope();
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await container.get(TracerService).shutdown();
    await collector.close();
    resetOpenTelemetry();
  });

  const context = (): FcContext =>
    fcContext({
      tracing: {
        openTracingSpanContext: FC_SPAN_CONTEXT,
        openTracingSpanBaggages: {},
        jaegerEndpoint: collector.url,
      },
    });

  describe("when the container's provider is registered globally", () => {
    it('records with it (not a provider of its own) and flushes it before the promise resolves', async () => {
      const quotes = container.get(QuoteHandler);
      const handler = tracedHandler(async (event: Buffer, _context: FcContext) => quotes.handle(event));
      expect(await handler(Buffer.from('sku-1'), context())).toBe(500);

      const spans = exporter.getFinishedSpans();
      const invocation = spans.find((span) => span.name === 'orders-fn')!;
      const quote = spans.find((span) => span.name === 'PriceService.quote')!;
      expect(invocation.spanContext().traceId).toBe(PADDED_FC_TRACE_ID);
      expect(invocation.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(quote.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId);
      expect(invocation.resource.attributes['service.name']).toBe('pricing');
      expect(collector.requests).toHaveLength(0);
    });
  });

  describe('when the TracerService is passed explicitly', () => {
    it('flushes it before the promise resolves', async () => {
      const tracerService = container.get(TracerService);
      const quotes = container.get(QuoteHandler);
      const handler = tracedHandler(async (event: Buffer) => quotes.handle(event), { tracerService });
      await handler(Buffer.from('sku'), context());
      expect(
        exporter
          .getFinishedSpans()
          .map((span) => span.name)
          .sort(),
      ).toEqual(['PriceService.quote', 'orders-fn']);
    });
  });

  describe('when the global proxy provider is passed as tracerProvider', () => {
    it('flushes the provider behind it before the promise resolves', async () => {
      const quotes = container.get(QuoteHandler);
      const handler = tracedHandler(async (event: Buffer) => quotes.handle(event), {
        tracerProvider: trace.getTracerProvider(),
      });
      await handler(Buffer.from('sku'), context());
      expect(exporter.getFinishedSpans()).toHaveLength(2);
    });
  });
});
