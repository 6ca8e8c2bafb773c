import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DeliveryResult } from '@tracery/commons';
import { EndpointRoutingExporter } from '../../src/provider/EndpointRoutingExporter';

function span(traceId: string): ReadableSpan {
  return {
    spanContext: () => ({ traceId, spanId: '1'.repeat(16), traceFlags: 1 }),
  } as unknown as ReadableSpan;
}

function exportAll(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('EndpointRoutingExporter', () => {
  const made = new Map<string, InMemorySpanExporter>();
  const shutDown: string[] = [];
  const factory = (endpoint: string): SpanExporter => {
    const exporter = new InMemorySpanExporter();
    const shutdown = exporter.shutdown.bind(exporter);
    exporter.shutdown = () => {
      shutDown.push(endpoint);
      return shutdown();
    };
    made.set(endpoint, exporter);
    return exporter;
  };
  beforeEach(() => {
    made.clear();
    shutDown.length = 0;
  });

  describe('when invocations of several endpoints are flushed together', () => {
    it("sends each span to its trace's endpoint, unknown traces to the last one", async () => {
      const routing = new EndpointRoutingExporter(factory, 1000);
      routing.route('a'.repeat(32), 'http://one/api/traces');
      routing.route('b'.repeat(32), 'http://two/api/traces');
      const result = await exportAll(routing, [
        span('a'.repeat(32)),
        span('b'.repeat(32)),
        span('c'.repeat(32)),
      ]);
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(made.get('http://one/api/traces')!.getFinishedSpans()).toHaveLength(1);
      expect(made.get('http://two/api/traces')!.getFinishedSpans()).toHaveLength(2);
    });
  });

  describe('when the endpoint keeps changing', () => {
    it('keeps at most two exporters and shuts the least recently used one down', async () => {
      const routing = new EndpointRoutingExporter(factory, 1000);
      for (const name of ['one', 'two', 'three']) {
        routing.route('a'.repeat(32), `http://${name}/api/traces`);
        await exportAll(routing, [span('a'.repeat(32))]);
      }
      expect([...made.keys()]).toHaveLength(3);
      expect(shutDown).toEqual(['http://one/api/traces']);
    });

    it('remembers at most maxRoutes trace ids', async () => {
      const routing = new EndpointRoutingExporter(factory, 1000, 2, 2);
      routing.route('1'.repeat(32), 'http://one/api/traces');
      routing.route('2'.repeat(32), 'http://two/api/traces');
      routing.route('3'.repeat(32), 'http://two/api/traces');
      await exportAll(routing, [span('1'.repeat(32))]);
      // the oldest route is gone: the span follows the last endpoint
      expect(made.has('http://one/api/traces')).toBe(false);
    });
  });

  describe('when an exporter fails or cannot be made', () => {
    it('reports FAILED and still exports the other groups', async () => {
      const routing = new EndpointRoutingExporter((endpoint) => {
        if (endpoint.includes('bad')) throw new Error('invalid endpoint');
        return factory(endpoint);
      }, 1000);
      routing.route('a'.repeat(32), 'http://bad/api/traces');
      routing.route('b'.repeat(32), 'http://good/api/traces');
      const result = await exportAll(routing, [span('a'.repeat(32)), span('b'.repeat(32))]);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(made.get('http://good/api/traces')!.getFinishedSpans()).toHaveLength(1);
    });
  });

  describe("when an endpoint's exporter leaves spans out of a successful export", () => {
    it('answers SUCCESS with the count and the reason, for the export pipeline to count', async () => {
      const routing = new EndpointRoutingExporter(
        () => ({
          export: (spans, callback) =>
            callback({
              code: ExportResultCode.SUCCESS,
              droppedSpans: spans.length,
              droppedReason: 'too large',
            } as ExportResult),
          shutdown: async () => undefined,
        }),
        1000,
      );
      routing.route('a'.repeat(32), 'http://one/api/traces');
      routing.route('b'.repeat(32), 'http://two/api/traces');
      const result = (await exportAll(routing, [
        span('a'.repeat(32)),
        span('b'.repeat(32)),
      ])) as DeliveryResult;
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(result.droppedSpans).toBe(2);
      expect(result.droppedReason).toContain('too large');
    });
  });

  describe('when shut down', () => {
    it('fails later exports and shuts every exporter down', async () => {
      const routing = new EndpointRoutingExporter(factory, 1000);
      routing.route('a'.repeat(32), 'http://one/api/traces');
      await exportAll(routing, [span('a'.repeat(32))]);
      await routing.shutdown();
      expect(shutDown).toEqual(['http://one/api/traces']);
      expect((await exportAll(routing, [span('a'.repeat(32))])).code).toBe(ExportResultCode.FAILED);
    });
  });
});
