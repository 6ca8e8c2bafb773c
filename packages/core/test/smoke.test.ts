import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanTag, Traced, TracerService } from '@tracery/core';

const exporter = new InMemorySpanExporter();
const service = new TracerService({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

class A {
  @Traced()
  async run(@SpanTag('x', 'id') input: { id: number }) {
    return this.inner(input.id);
  }
  @Traced()
  inner(n: number) {
    return n * 2;
  }
}

it('works', async () => {
  const a = new A();
  await expect(a.run({ id: 4 })).resolves.toBe(8);
  const spans = exporter.getFinishedSpans();
  expect(spans.map((s) => s.name)).toEqual(['A.inner', 'A.run']);
  expect(spans[0].parentSpanContext?.spanId).toBe(spans[1].spanContext().spanId);
  expect(spans[1].attributes.x).toBe(4);
  await service.shutdown();
});
