import { killChildren } from '../support/childProcess';
import { runExample } from '../support/examples';
import {
  startFakeOtlpCollector,
  type FakeOtlpCollector,
  type OtlpDecodedSpan,
} from '../support/fakeOtlpCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

// OTLP span kinds on the wire.
const INTERNAL = 1;
const SERVER = 2;
const CLIENT = 3;
const INSTRUMENTATION = '@opentelemetry/instrumentation-http';

describe('examples/http-instrumentation', () => {
  afterAll(killChildren);

  describe('when run for every format with spans sent over OTLP', () => {
    let collector: FakeOtlpCollector;
    let run: Awaited<ReturnType<typeof runExample>>;
    let traces: OtlpDecodedSpan[][];

    beforeAll(async () => {
      collector = await startFakeOtlpCollector();
      run = await runExample('http-instrumentation', {
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl },
      });
      const byTrace = new Map<string, OtlpDecodedSpan[]>();
      for (const span of collector.spans)
        byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
      traces = [...byTrace.values()];
    });

    afterAll(() => collector.close());

    it('runs the function and the price service per format and exits 0', () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      for (const format of ['w3c', 'jaeger', 'b3', 'b3single']) expect(run.lines).toContain(`== ${format}`);
    });

    it('shows the headers of each format reaching the service, written by the instrumentation', () => {
      const received = run.lines
        .filter((line) => /price service received/.test(line))
        .map((line) => line.split('received ')[1]);
      expect(received).toEqual([
        'traceparent',
        'uber-trace-id',
        'x-b3-traceid, x-b3-spanid, x-b3-sampled',
        'b3',
      ]);
    });

    it('sends one trace per format: invocation, @Traced call, CLIENT request, SERVER request, @Traced work', () => {
      expect(traces).toHaveLength(4);
      for (const spans of traces) {
        const invocation = spans.find((span) => span.name === 'quote-function')!;
        const quote = spans.find((span) => span.name === 'QuoteService.quote')!;
        const outgoing = spans.find((span) => span.kind === CLIENT)!;
        const incoming = spans.find((span) => span.kind === SERVER && span.scope.name === INSTRUMENTATION)!;
        const work = spans.find((span) => span.name === 'PriceCatalog.priceOf')!;
        expect(spans).toHaveLength(5);
        expect(invocation).toMatchObject({ kind: SERVER, resource: { 'service.name': 'quote-function' } });
        expect(quote).toMatchObject({ kind: INTERNAL, parentSpanId: invocation.spanId });
        expect(outgoing).toMatchObject({
          name: 'GET',
          parentSpanId: quote.spanId,
          scope: { name: INSTRUMENTATION },
        });
        expect(incoming).toMatchObject({
          name: 'GET',
          parentSpanId: outgoing.spanId,
          resource: { 'service.name': 'price-service' },
        });
        expect(work).toMatchObject({
          kind: INTERNAL,
          parentSpanId: incoming.spanId,
          attributes: { 'product.sku': 'sku-apple' },
        });
      }
    });

    it('never traces its own exports (no span of a request to the collector)', () => {
      const toCollector = collector.spans.filter((span) =>
        String(span.attributes['url.full'] ?? '').startsWith(collector.baseUrl),
      );
      expect(toCollector).toEqual([]);
      expect(collector.requests.every((request) => request.headers.traceparent === undefined)).toBe(true);
    });
  });

  describe('when run with the defaults', () => {
    it('draws the spans of both processes in the terminal, in one trace', async () => {
      const run = await runExample('http-instrumentation', { args: ['jaeger'] });
      expect(run.code).toBe(0);
      const functionTrace = /quote-function \| trace ([0-9a-f]{32}) · 3 spans/.exec(run.stdout)?.[1];
      const serviceTrace = /price-service {2}\| trace ([0-9a-f]{32}) · 2 spans/.exec(run.stdout)?.[1];
      expect(functionTrace).toBeDefined();
      expect(serviceTrace).toBe(functionTrace);
      expect(run.stdout).toMatch(/^ {2}quote-function \| {4}└─ GET /m);
      expect(run.stdout).toMatch(/^ {2}price-service {2}\| └─ PriceCatalog\.priceOf /m);
    });
  });
});
