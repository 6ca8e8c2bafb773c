import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { markDebugSpan } from '@tracery/commons';
import { createExporter } from '@tracery/exporters';
import {
  startFakeZipkinCollector,
  type FakeZipkinCollector,
  type ZipkinCollectorBehaviour,
} from '../../../../test/support/fakeZipkinCollector';
import { captureDiag } from '../../../../test/support/captureDiag';
import { collectUnhandledRejections, exportOnce } from '../support/exportOnce';
import { recordSampleTrace, T0_SECONDS } from '../support/sampleTrace';
import { recordSpans } from '../jaeger/recordSpans';

const SECRET_TOKEN = 'zipkinTOKENsecret@77_a';

describe('createExporter({ kind: "zipkin" })', () => {
  let collector: FakeZipkinCollector;
  let spans: ReadableSpan[];

  beforeEach(async () => {
    collector = await startFakeZipkinCollector();
    spans = recordSampleTrace();
  });
  afterEach(async () => {
    await collector.close();
  });

  describe('when the collector accepts', () => {
    it('sends v2 JSON spans with names, ids, parents, kind, tags, annotations, error and service name', async () => {
      const exporter = createExporter({ kind: 'zipkin', url: collector.url });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.decodeErrors).toEqual([]);
      const byName = Object.fromEntries(collector.spans.map((s) => [s.name, s]));
      const sdk = Object.fromEntries(spans.map((s) => [s.name, s]));
      expect(Object.keys(byName).sort()).toEqual(['charge', 'checkout', 'http.request']);
      expect(byName.checkout.traceId).toBe(sdk.checkout.spanContext().traceId);
      expect(byName.checkout.id).toBe(sdk.checkout.spanContext().spanId);
      expect(byName.checkout.parentId).toBeUndefined();
      expect(byName.charge.parentId).toBe(byName.checkout.id);
      expect(byName['http.request'].parentId).toBe(byName.charge.id);
      expect(byName.checkout.kind).toBe('SERVER');
      expect(byName.charge.kind).toBe('CLIENT');
      expect(byName.checkout.timestamp).toBe(T0_SECONDS * 1e6);
      expect(byName.checkout.duration).toBe(100_000);
      expect(byName.checkout.localEndpoint?.serviceName).toBe('shop');
      expect(byName.checkout.tags).toMatchObject({
        'http.method': 'POST',
        'cart.items': '3',
        'cart.total': '12.5',
        'cart.express': 'true',
      });
      expect(byName.charge.tags).toMatchObject({ error: 'card declined' });
      expect(byName.charge.annotations?.map((a) => a.value)).toEqual([expect.stringContaining('retry')]);
    });

    it('sends debug: true for the spans of a debug trace (marked by markDebugSpan), and only for them', async () => {
      markDebugSpan(spans.find((s) => s.name === 'charge')!.spanContext());
      const exporter = createExporter({ kind: 'zipkin', url: collector.url });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.decodeErrors).toEqual([]);
      expect(Object.fromEntries(collector.spans.map((s) => [s.name, s.debug]))).toEqual({
        charge: true,
        checkout: undefined,
        'http.request': undefined,
      });
    });

    it('posts to a token path as given', async () => {
      const exporter = createExporter({ kind: 'zipkin', url: collector.urlWithToken(SECRET_TOKEN) });
      await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(collector.requests[0].path).toBe(`/adapt_${SECRET_TOKEN}/api/v2/spans`);
      expect(collector.spans).toHaveLength(3);
    });
  });

  describe.each<[string, ZipkinCollectorBehaviour | 'down']>([
    ['is down (connection refused)', 'down'],
    ['hangs', 'hang'],
    ['answers 500', 'status500'],
    ['resets the connection', 'reset'],
    ['answers garbage', 'garbage'],
  ])('when the collector %s', (_label, behaviour) => {
    it('reports FAILED within the timeout, throws nothing, leaves no unhandled rejection, no secret in diag', async () => {
      const diagCapture = captureDiag();
      const url = collector.urlWithToken(SECRET_TOKEN);
      if (behaviour === 'down') await collector.close();
      else collector.setBehaviour(behaviour);
      const exporter = createExporter({
        kind: 'zipkin',
        url,
        headers: { 'X-Api-Key': 'hdrSECRETzipkin' },
        timeoutMs: 300,
      });
      const codes: number[] = [];
      const errors: string[] = [];
      try {
        const unhandled = await collectUnhandledRejections(async () => {
          for (let i = 0; i < 2; i++) {
            const result = await exportOnce(exporter, spans);
            codes.push(result.code);
            errors.push(String(result.error?.message));
          }
          // Bounded by timeoutMs even while a request hangs.
          await exporter.shutdown();
        });
        expect(unhandled).toEqual([]);
      } finally {
        diagCapture.restore();
      }
      expect(codes).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
      const everything = `${diagCapture.text()}\n${errors.join('\n')}`;
      expect(everything).not.toContain(SECRET_TOKEN);
      expect(everything).not.toContain('hdrSECRETzipkin');
      // Reporting is the export pipeline's, once per outage (see test/pipeline): the exporter says nothing.
      expect(diagCapture.messages.filter((m) => m.level === 'warn')).toEqual([]);
    });
  });

  describe('when the collector hangs for longer than many timeouts', () => {
    it('answers each export FAILED at its deadline, with no request left open after it', async () => {
      collector.setBehaviour('hang');
      const exporter = createExporter({ kind: 'zipkin', url: collector.url, timeoutMs: 100 });
      const errors: string[] = [];
      for (let i = 0; i < 6; i++) {
        const result = await exportOnce(exporter, spans);
        expect(result.code).toBe(ExportResultCode.FAILED);
        errors.push(String(result.error?.message));
      }
      expect(errors.every((e) => e.includes('no answer in time'))).toBe(true);
      expect(collector.requests).toHaveLength(6);
      expect(await collector.openConnections()).toBe(0);
      await collector.close();
      await exporter.shutdown();
    });
  });

  describe('when given the base address of a Zipkin server', () => {
    it.each(['', '/'])('posts to /api/v2/spans (path %j)', async (pathname) => {
      const exporter = createExporter({ kind: 'zipkin', url: `${collector.baseUrl}${pathname}` });
      expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.requests[0].path).toBe('/api/v2/spans');
      expect(collector.spans).toHaveLength(3);
    });
  });

  describe('when a span starts at a sub-microsecond time and lasts no time at all', () => {
    it('sends whole microseconds and a duration of at least 1, as the v2 schema asks', async () => {
      const exporter = createExporter({ kind: 'zipkin', url: collector.url });
      const [instant] = recordSpans((tracer) => {
        const start: [number, number] = [T0_SECONDS, 123_456_789];
        tracer.startSpan('instant', { startTime: start }).end(start);
      });
      expect((await exportOnce(exporter, [instant])).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      const [sent] = collector.spans;
      expect(sent.timestamp).toBe(T0_SECONDS * 1e6 + 123_457);
      expect(Number.isInteger(sent.timestamp)).toBe(true);
      expect(sent.duration).toBe(1);
    });
  });
});
