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
const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;

describe('examples/http-propagation', () => {
  afterAll(killChildren);

  describe('when run for every format with spans sent over OTLP', () => {
    let collector: FakeOtlpCollector;
    let run: Awaited<ReturnType<typeof runExample>>;

    beforeAll(async () => {
      collector = await startFakeOtlpCollector();
      run = await runExample('http-propagation', {
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl },
      });
    });

    afterAll(() => collector.close());

    it('runs a client and a server process per format and exits 0', () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      for (const format of ['w3c', 'jaeger', 'b3', 'b3single']) expect(run.lines).toContain(`== ${format}`);
    });

    it('shows on the client side that the server continued its trace', () => {
      const reports = run.lines.filter((line) => / client span /.test(line));
      expect(reports).toHaveLength(4);
      for (const line of reports) {
        const [, spanId, traceId, serverTraceId, parentId] =
          /client span ([0-9a-f]{16}) in trace ([0-9a-f]{32}); server continued trace ([0-9a-f]{32}) under ([0-9a-f]{16})/.exec(
            line,
          )!;
        expect(serverTraceId).toBe(traceId);
        expect(parentId).toBe(spanId);
      }
    });

    it('sends, per format, one trace: client span CLIENT, server span SERVER under it, server work under that', () => {
      const byTrace = new Map<string, OtlpDecodedSpan[]>();
      for (const span of collector.spans)
        byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
      expect(byTrace.size).toBe(4);
      for (const spans of byTrace.values()) {
        const client = spans.find((span) => span.resource['service.name'] === 'price-client')!;
        const server = spans.find(
          (span) => span.resource['service.name'] === 'price-server' && span.kind === SERVER,
        )!;
        const work = spans.find((span) => span.name === 'PriceCatalog.priceOf')!;
        expect(spans).toHaveLength(3);
        expect(client).toMatchObject({ name: 'GET /price', kind: CLIENT, parentSpanId: '' });
        expect(server).toMatchObject({ name: 'GET /price', parentSpanId: client.spanId });
        expect(work).toMatchObject({
          kind: INTERNAL,
          parentSpanId: server.spanId,
          attributes: { 'product.sku': 'sku-apple' },
        });
      }
    });

    it('carries the baggage where the format has it (w3c, jaeger) and not in b3', () => {
      const baggage = run.lines
        .filter((line) => / client span /.test(line))
        .map((line) => /baggage (.*)$/.exec(line)![1]);
      expect(baggage).toEqual(['{"customer.tier":"gold"}', '{"customer.tier":"gold"}', '{}', '{}']);
    });
  });

  describe('when run with the defaults', () => {
    it('draws the spans of both processes in the terminal', async () => {
      const run = await runExample('http-propagation', { args: ['b3single'] });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^ {2}client \| trace ([0-9a-f]{32}) · 1 span · .* · service price-client$/m,
      );
      expect(run.stdout).toMatch(
        /^ {2}server \| trace ([0-9a-f]{32}) · 2 spans · .* · service price-server$/m,
      );
      expect(run.stdout).toMatch(/^ {2}server \| └─ PriceCatalog\.priceOf /m);
      const clientTrace = /client \| trace ([0-9a-f]{32})/.exec(run.stdout)![1];
      const serverTrace = /server \| trace ([0-9a-f]{32})/.exec(run.stdout)![1];
      expect(serverTrace).toBe(clientTrace);
    });
  });
});
