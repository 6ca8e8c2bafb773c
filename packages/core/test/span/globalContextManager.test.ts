import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Traced } from '@tracery/core';
import { globalContextManager } from '../../src/span/globalContextManager';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

class Nested {
  @Traced()
  outer() {
    return this.inner();
  }

  @Traced()
  inner() {
    return trace.getActiveSpan()?.spanContext().spanId;
  }
}

/** Whether `inner` ended up as the child of `outer` in the last call. */
function nestedCorrectly(): boolean {
  const spans = exporter.getFinishedSpans();
  const outer = spans.find((s) => s.name === 'Nested.outer')!;
  const inner = spans.find((s) => s.name === 'Nested.inner')!;
  return inner.parentSpanContext?.spanId === outer.spanContext().spanId;
}

beforeAll(() => trace.setGlobalTracerProvider(provider));
afterEach(() => {
  exporter.reset();
  context.disable();
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

describe('globalContextManager', () => {
  describe('when a context manager is registered', () => {
    it('is the registered manager', () => {
      const manager = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(manager);
      expect(globalContextManager()).toBe(manager);
    });
  });

  describe('when the manager is replaced after decorated calls ran', () => {
    it('follows the new one, so nesting keeps working', () => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      new Nested().outer();
      expect(nestedCorrectly()).toBe(true);
      context.disable();
      exporter.reset();
      const second = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(second);
      new Nested().outer();
      expect(nestedCorrectly()).toBe(true);
      expect(globalContextManager()).toBe(second);
    });
  });

  describe('when no manager is registered', () => {
    it('uses the no-op one: calls work, spans are not nested', () => {
      expect(new Nested().outer()).toBeUndefined();
      expect(exporter.getFinishedSpans()).toHaveLength(2);
      expect(nestedCorrectly()).toBe(false);
    });
  });
});
