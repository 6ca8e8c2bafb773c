import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createExporter } from '@tracery/exporters';
import {
  startFakeZipkinCollector,
  type FakeZipkinCollector,
  type ZipkinCollectorBehaviour,
} from '../../../../test/support/fakeZipkinCollector';
import { captureDiag } from '../../../../test/support/captureDiag';
import { collectUnhandledRejections, exportOnce } from '../support/exportOnce';
import { recordSampleTrace, T0_SECONDS } from '../support/sampleTrace';

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
      expect(
        diagCapture.messages.filter((m) => m.level === 'warn' && m.text.includes('@tracery/exporters')),
      ).toHaveLength(1);
    });
  });

  describe('when the collector hangs for longer than many timeouts', () => {
    it('answers each export FAILED at its deadline but keeps no more than 4 requests hanging', async () => {
      collector.setBehaviour('hang');
      const exporter = createExporter({ kind: 'zipkin', url: collector.url, timeoutMs: 100 });
      const errors: string[] = [];
      for (let i = 0; i < 6; i++) {
        const result = await exportOnce(exporter, spans);
        expect(result.code).toBe(ExportResultCode.FAILED);
        errors.push(String(result.error?.message));
      }
      expect(errors.slice(0, 4).every((e) => e.includes('no answer within 100 ms'))).toBe(true);
      expect(errors.slice(4).every((e) => e.includes('4 exports already waiting'))).toBe(true);
      expect(collector.requests.length).toBeLessThanOrEqual(4);
      await collector.close();
      await exporter.shutdown();
    });
  });

  describe('when exports keep piling up on a hanging collector', () => {
    it('fails further exports at once instead of holding more batches', async () => {
      collector.setBehaviour('hang');
      const exporter = createExporter({ kind: 'zipkin', url: collector.url, timeoutMs: 60_000 });
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) exporter.export(spans, (r) => answers.push(r.code));

      // The guard allows 4 exports waiting for the collector; the 5th and 6th answered FAILED synchronously.
      expect(answers).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
      await collector.close(); // the hanging requests error out; their answers arrive now
      await exporter.forceFlush!();
      expect(answers).toHaveLength(6);
      expect(answers.every((code) => code === ExportResultCode.FAILED)).toBe(true);
      await exporter.shutdown();
    });
  });
});
