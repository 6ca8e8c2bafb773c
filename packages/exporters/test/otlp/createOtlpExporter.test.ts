import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DEFAULT_MAX_CONCURRENT_EXPORTS, ExportPipeline } from '@tracery/commons';
import { createExporter } from '@tracery/exporters';
import {
  startFakeOtlpCollector,
  type FakeOtlpCollector,
  type OtlpCollectorBehaviour,
  type OtlpDecodedSpan,
} from '../../../../test/support/fakeOtlpCollector';
import { captureDiag } from '../../../../test/support/captureDiag';
import { collectUnhandledRejections, exportOnce } from '../support/exportOnce';
import { LINKED, recordSampleTrace, T0_SECONDS } from '../support/sampleTrace';

const SECRET_TOKEN = 'tok3nSECRETvalue@9f8e7d_x';
const SECRET_HEADER = 'header-SECRET-4242';

function expectSampleTraceOnWire(received: OtlpDecodedSpan[], spans: ReadableSpan[]): void {
  expect(received.map((s) => s.name).sort()).toEqual(['charge', 'checkout', 'http.request']);
  const byName = Object.fromEntries(received.map((s) => [s.name, s]));
  const sdk = Object.fromEntries(spans.map((s) => [s.name, s]));
  const { checkout, charge } = byName;
  const request = byName['http.request'];

  expect(checkout.traceId).toBe(sdk.checkout.spanContext().traceId);
  expect(checkout.spanId).toBe(sdk.checkout.spanContext().spanId);
  expect(checkout.parentSpanId).toBe('');
  expect(charge.parentSpanId).toBe(checkout.spanId);
  expect(request.parentSpanId).toBe(charge.spanId);
  expect(new Set(received.map((s) => s.traceId)).size).toBe(1);

  expect(checkout.kind).toBe(2); // SERVER
  expect(charge.kind).toBe(3); // CLIENT
  expect(checkout.startTimeUnixNano).toBe(BigInt(T0_SECONDS) * 1_000_000_000n);
  expect(checkout.endTimeUnixNano - checkout.startTimeUnixNano).toBe(100_000_000n);
  expect(checkout.attributes).toEqual({
    'http.method': 'POST',
    'cart.items': 3n,
    'cart.total': 12.5,
    'cart.express': true,
    'cart.skus': ['a', 'b'],
    'cart.quantities': [1n, 2n],
  });
  expect(charge.status).toEqual({ code: 2, message: 'card declined' });
  expect(checkout.status.code).toBe(0);
  expect(charge.events).toEqual([
    {
      name: 'retry',
      timeUnixNano: BigInt(T0_SECONDS) * 1_000_000_000n + 30_000_000n,
      attributes: { attempt: 2n },
    },
  ]);
  expect(request.links).toEqual([
    { traceId: LINKED.traceId, spanId: LINKED.spanId, attributes: { 'link.reason': 'batch' } },
  ]);
  expect(checkout.resource).toMatchObject({ 'service.name': 'shop', 'deployment.environment': 'test' });
  expect(checkout.scope).toEqual({ name: 'sample-scope', version: '1.2.3' });
}

describe('createExporter({ kind: "otlp" })', () => {
  let collector: FakeOtlpCollector;
  let spans: ReadableSpan[];

  beforeEach(async () => {
    collector = await startFakeOtlpCollector();
    spans = recordSampleTrace();
  });
  afterEach(async () => {
    await collector.close();
  });

  describe('when the protocol is left out (http/protobuf)', () => {
    it('puts names, ids, parents, attributes, events, links, status, resource and scope on the wire', async () => {
      const exporter = createExporter({ kind: 'otlp', url: collector.url });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.decodeErrors).toEqual([]);
      expect(collector.requests).toHaveLength(1);
      expect(collector.requests[0]).toMatchObject({ path: '/v1/traces', encoding: 'protobuf', gzip: false });
      expectSampleTraceOnWire(collector.spans, spans);
    });
  });

  describe('when the protocol is http/json', () => {
    it('sends the same data as OTLP JSON', async () => {
      const exporter = createExporter({ kind: 'otlp', url: collector.url, protocol: 'http/json' });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.decodeErrors).toEqual([]);
      expect(collector.requests[0].encoding).toBe('json');
      expectSampleTraceOnWire(collector.spans, spans);
    });
  });

  describe('when compression is gzip', () => {
    it.each(['http/protobuf', 'http/json'] as const)('gzips the %s body', async (protocol) => {
      const exporter = createExporter({ kind: 'otlp', url: collector.url, protocol, compression: 'gzip' });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.requests[0].gzip).toBe(true);
      expectSampleTraceOnWire(collector.spans, spans);
    });
  });

  describe('when headers are given', () => {
    it('sends them with every request', async () => {
      const exporter = createExporter({
        kind: 'otlp',
        url: collector.url,
        headers: { Authentication: SECRET_HEADER },
      });
      await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(collector.requests[0].headers['authentication']).toBe(SECRET_HEADER);
    });
  });

  describe('when the URL carries a Tracing Analysis token in its path', () => {
    it('posts to that exact path', async () => {
      const url = `${collector.baseUrl}/adapt_${SECRET_TOKEN}/api/otlp/traces`;
      const exporter = createExporter({ kind: 'otlp', url });
      await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(collector.requests[0].path).toBe(`/adapt_${SECRET_TOKEN}/api/otlp/traces`);
      expect(collector.spans).toHaveLength(3);
    });
  });

  describe.each<[string, OtlpCollectorBehaviour | 'down']>([
    ['is down (connection refused)', 'down'],
    ['hangs', 'hang'],
    ['answers 500', 'status500'],
    ['answers 400', 'status400'],
    ['resets the connection', 'reset'],
    ['answers garbage', 'garbage'],
  ])('when the collector %s', (_label, behaviour) => {
    it('reports FAILED, throws nothing, leaves no unhandled rejection and no secret in diag', async () => {
      const diagCapture = captureDiag();
      let url = `${collector.baseUrl}/adapt_${SECRET_TOKEN}/api/otlp/traces`;
      if (behaviour === 'down') {
        await collector.close();
        url = `http://user:pa55SECRETword@127.0.0.1:${new URL(collector.baseUrl).port}/adapt_${SECRET_TOKEN}/v1/traces`;
      } else {
        collector.setBehaviour(behaviour);
      }
      const exporter = createExporter({
        kind: 'otlp',
        url,
        headers: { Authentication: SECRET_HEADER },
        timeoutMs: 400,
      });
      const results: number[] = [];
      const errors: string[] = [];
      try {
        const unhandled = await collectUnhandledRejections(async () => {
          for (let i = 0; i < 2; i++) {
            const result = await exportOnce(exporter, spans);
            results.push(result.code);
            errors.push(String(result.error?.message));
          }
          await exporter.shutdown();
        });
        expect(unhandled).toEqual([]);
      } finally {
        diagCapture.restore();
      }

      expect(results).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
      const everything = `${diagCapture.text()}\n${errors.join('\n')}`;
      expect(everything).not.toContain(SECRET_TOKEN);
      expect(everything).not.toContain(SECRET_HEADER);
      expect(everything).not.toContain('pa55SECRETword');
      expect(errors[0]).toContain('adapt_***');
      // Reporting is the export pipeline's, once per outage (see test/pipeline): the exporter says nothing.
      expect(diagCapture.messages.filter((m) => m.level === 'warn')).toEqual([]);
    });
  });

  describe.each([
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `http//collector:4318/adapt_${SECRET_TOKEN}/api/otlp/traces`],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', `://collector:4318/adapt_${SECRET_TOKEN}`],
  ])('when process.env has a malformed %s carrying a token', (variable, malformed) => {
    const saved = { ...process.env };
    afterEach(() => {
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      Object.assign(process.env, saved);
    });

    it('sends to the configured URL and never reads or logs the variable (only exporterFromEnv reads it)', async () => {
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      process.env[variable] = malformed;
      const diagCapture = captureDiag();
      let code: number;
      try {
        const exporter = createExporter({ kind: 'otlp', url: collector.url, timeoutMs: 2000 });
        code = (await exportOnce(exporter, spans)).code;
        await exporter.shutdown();
      } finally {
        diagCapture.restore();
      }

      expect(code).toBe(ExportResultCode.SUCCESS);
      expect(collector.spans).toHaveLength(3);
      expect(diagCapture.text()).not.toContain(SECRET_TOKEN);
      expect(diagCapture.including(variable)).toEqual([]);
      expect(process.env[variable]).toBe(malformed);
    });
  });

  describe('when the collector recovers after failing, in the export pipeline', () => {
    it('reports the failure once and the recovery once, with the spans dropped meanwhile', async () => {
      const diagCapture = captureDiag();
      try {
        const pipeline = new ExportPipeline(
          createExporter({ kind: 'otlp', url: collector.url, timeoutMs: 400 }),
          {
            env: {},
          },
        );
        collector.setBehaviour('status400');
        for (let i = 0; i < 2; i++) {
          for (const span of spans) pipeline.onEnd(span);
          await pipeline.flush();
        }
        collector.setBehaviour('accept');
        for (const span of spans) pipeline.onEnd(span);
        const last = await pipeline.flush();
        await pipeline.shutdown();

        expect(last).toEqual({ complete: true, delivered: 3, dropped: 0 });
        expect(pipeline.stats).toMatchObject({ delivered: 3, dropped: { exportFailed: 6 } });
        const ours = diagCapture.messages.filter((m) => m.text.includes('@tracery'));
        expect(ours.map((m) => m.level)).toEqual(['warn', 'info']);
        expect(ours[0].text).toContain('HTTP 400');
        expect(ours[1].text).toContain('6 spans dropped meanwhile');
      } finally {
        diagCapture.restore();
      }
    });
  });
});

describe('createExporter({ kind: "otlp" }) in the export pipeline, under load', () => {
  describe('when the collector hangs during a soak of 100,000 spans', () => {
    it('keeps a bounded number of requests open, drops and counts the rest, and holds at most the queue', async () => {
      const collector = await startFakeOtlpCollector({ behaviour: 'hang' });
      const batch = Array.from({ length: 100 }, () => recordSampleTrace())
        .flat()
        .slice(0, 100);
      const pipeline = new ExportPipeline(
        createExporter({ kind: 'otlp', url: collector.url, timeoutMs: 300 }),
        {
          maxQueueSize: 2048,
          maxExportBatchSize: 512,
          env: {},
        },
      );
      let maxHeld = 0;
      for (let i = 0; i < 1000; i++) {
        for (const span of batch) pipeline.onEnd(span);
        maxHeld = Math.max(maxHeld, pipeline.stats.queued + pipeline.stats.inFlight);
        if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await pipeline.shutdown();
      await collector.close();

      const { delivered, dropped } = pipeline.stats;
      expect(delivered).toBe(0);
      expect(dropped.queueFull + dropped.exportFailed).toBe(100_000);
      expect(collector.requests.length).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENT_EXPORTS + 4);
      expect(maxHeld).toBeLessThanOrEqual(2048 + DEFAULT_MAX_CONCURRENT_EXPORTS * 512);
    });
  });

  describe('when traced code runs while the collector is down', () => {
    it('lets it run, flush and shut down without a rejection, reported once, no secret in diag', async () => {
      const collector = await startFakeOtlpCollector();
      const port = new URL(collector.baseUrl).port;
      await collector.close();
      const diagCapture = captureDiag();
      try {
        const exporter = createExporter({
          kind: 'otlp',
          url: `http://127.0.0.1:${port}/adapt_${SECRET_TOKEN}/api/otlp/traces`,
          headers: { Authentication: SECRET_HEADER },
          timeoutMs: 500,
        });
        const provider = new BasicTracerProvider({
          spanProcessors: [new ExportPipeline(exporter, { env: {} })],
        });
        const tracer = provider.getTracer('soak');
        const unhandled = await collectUnhandledRejections(async () => {
          for (let i = 0; i < 1000; i++) tracer.startSpan(`work-${i}`).end();
          await expect(provider.forceFlush()).resolves.toBeUndefined();
          await expect(provider.shutdown()).resolves.toBeUndefined();
        });
        expect(unhandled).toEqual([]);
        // The outage was reported (once), so the secret checks below look at a real report.
        const faultReports = diagCapture.messages.filter(
          (m) => m.text.includes('@tracery') && m.level === 'warn',
        );
        expect(faultReports).toHaveLength(1);
        expect(faultReports[0].text).toContain('adapt_***');
        expect(faultReports[0].text).toContain('ECONNREFUSED');
        expect(diagCapture.text()).not.toContain(SECRET_TOKEN);
        expect(diagCapture.text()).not.toContain(SECRET_HEADER);
      } finally {
        diagCapture.restore();
      }
    });
  });
});
