import { killChildren } from '../support/childProcess';
import { runExample } from '../support/examples';
import {
  startFakeJaegerCollector,
  type DecodedSpan,
  type FakeJaegerCollector,
} from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

describe('examples/fc-hello', () => {
  let collector: FakeJaegerCollector;

  beforeAll(async () => {
    collector = await startFakeJaegerCollector();
  });

  afterAll(async () => {
    await killChildren();
    await collector.close();
  });

  describe.each(['async', 'callback'])('when the %s handler is invoked as FC would', (style) => {
    let run: Awaited<ReturnType<typeof runExample>>;
    let spans: DecodedSpan[];
    let fcTraceId: string;
    let fcSpanId: string;
    let spansWhenResultPrinted: number | undefined;

    beforeAll(async () => {
      const before = collector.spans().length;
      run = await runExample('fc-hello', {
        args: [style, 'Ada'],
        env: { OTEL_EXPORTER_JAEGER_ENDPOINT: collector.url },
        // The program prints the result once invokeLocal has it back, i.e. once the handler has returned.
        onStart: (child) =>
          void child
            .waitForLine((line) => line.startsWith('result: '))
            .then(() => (spansWhenResultPrinted = collector.spans().length - before))
            .catch(() => undefined),
      });
      spans = collector.spans().slice(before);
      [fcTraceId, fcSpanId] = /^FC span context: ([0-9a-f]{16}):([0-9a-f]{16}):0:1$/m
        .exec(run.stdout)!
        .slice(1);
    });

    it('returns the handler result', () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.lines).toContain('result: {"greeting":"hello, Ada"}');
    });

    it("exports the invocation span as a child of FC's span, in FC's trace", () => {
      const invocation = spans.find((span) => span.operationName === 'fc-hello')!;
      expect(invocation).toMatchObject({ traceId: fcTraceId.padStart(32, '0'), parentSpanId: fcSpanId });
      expect(invocation.tags).toMatchObject({ 'span.kind': 'server', 'faas.coldstart': true });
    });

    it('exports the fc-operation span under the invocation and its child under it', () => {
      const invocation = spans.find((span) => span.operationName === 'fc-hello')!;
      const operation = spans.find((span) => span.operationName === 'fc-operation')!;
      const compose = spans.find((span) => span.operationName === 'compose-greeting')!;
      expect(operation).toMatchObject({ traceId: invocation.traceId, parentSpanId: invocation.spanId });
      expect(operation.tags['greeting.name']).toBe('Ada');
      expect(compose).toMatchObject({ traceId: invocation.traceId, parentSpanId: operation.spanId });
      expect(spans).toHaveLength(3);
    });

    it('has the spans at the collector before the handler hands its result back', () => {
      expect(spansWhenResultPrinted).toBe(3);
    });

    it('sends the three spans in one request', () => {
      expect(collector.batches.at(-1)!.spans).toHaveLength(3);
      expect(collector.batches.at(-1)!.serviceName).not.toBe('');
    });
  });

  describe('when FC hands no collector endpoint', () => {
    it('runs the handler and exports nothing', async () => {
      const before = collector.requests.length;
      const run = await runExample('fc-hello', { args: ['async'] });
      expect(run.code).toBe(0);
      expect(run.lines).toContain('result: {"greeting":"hello, FC"}');
      expect(collector.requests.length).toBe(before);
    });
  });
});
