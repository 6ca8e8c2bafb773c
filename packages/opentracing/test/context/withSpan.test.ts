import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Traced } from '@tracery/core';
import { OpenTracingTracer, withSpan } from '@tracery/opentracing';
import * as opentracing from 'opentracing';
import { captureDiag } from '../../../../test/support/captureDiag';

class Inventory {
  @Traced()
  async reserve(sku: string): Promise<string> {
    await new Promise((resolve) => setImmediate(resolve));
    return `reserved ${sku}`;
  }

  @Traced()
  fail(): never {
    throw new RangeError('out of stock');
  }
}

describe('withSpan', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // No provider given: the OpenTracing tracer records on the global one, as @Traced does.
  let tracer: OpenTracingTracer;
  const inventory = new Inventory();

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    tracer = new OpenTracingTracer();
  });

  afterAll(() => {
    trace.disable();
    context.disable();
  });

  beforeEach(() => exporter.reset());

  const parentOf = (name: string) =>
    exporter.getFinishedSpans().find((span) => span.name === name)?.parentSpanContext?.spanId;

  it('makes the span active: @Traced methods called inside, even after an await, are its children', async () => {
    const span = tracer.startSpan('checkout');
    const result = await withSpan(span, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return inventory.reserve('sku-1');
    });
    span.finish();
    expect(result).toBe('reserved sku-1');
    expect(parentOf('Inventory.reserve')).toBe(span.context().toSpanId());
  });

  it('makes OpenTracing spans started inside without a parent its children', () => {
    const span = tracer.startSpan('outer');
    withSpan(span, () => tracer.startSpan('inner').finish());
    expect(parentOf('inner')).toBe(span.context().toSpanId());
  });

  it("returns fn's own promise and lets its errors through unchanged", async () => {
    const span = tracer.startSpan('op');
    const promise = Promise.resolve(42);
    expect(withSpan(span, () => promise)).toBe(promise);
    expect(() => withSpan(span, () => inventory.fail())).toThrow(new RangeError('out of stock'));
  });

  it("makes the span's baggage the active baggage", () => {
    const span = tracer.startSpan('op');
    span.setBaggageItem('tenant', 'acme');
    const tenant = withSpan(span, () => propagation.getActiveBaggage()?.getEntry('tenant')?.value);
    expect(tenant).toBe('acme');
  });

  it('restores the previous active span afterwards', () => {
    const span = tracer.startSpan('op');
    withSpan(span, () => undefined);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('closes (flushes) the global provider when built on it', async () => {
    tracer.startSpan('buffered').finish();
    const flushed = jest.spyOn(provider, 'forceFlush');
    await tracer.close();
    expect(flushed).toHaveBeenCalledTimes(1);
  });

  it('runs fn as it is with a span of another tracer (reported once)', () => {
    const diagnostics = captureDiag();
    const foreign = new opentracing.MockTracer().startSpan('foreign');
    expect(withSpan(foreign, () => trace.getActiveSpan())).toBeUndefined();
    diagnostics.restore();
    expect(diagnostics.including('another tracer')).toHaveLength(1);
  });
});
