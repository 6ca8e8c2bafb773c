import * as http from 'node:http';
import type { Socket } from 'node:net';
import { DiagLogLevel, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JaegerHttpExporter } from '../../src/jaeger/JaegerHttpExporter';
import type { DeliveryResult } from '@tracery/commons';
import {
  startFakeJaegerCollector,
  type CollectorBehaviour,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { closedPortUrl, listenOnLoopback } from '../../../../test/support/loopback';
import { recordSpans } from './recordSpans';
import { exportOnce } from '../support/exportOnce';
import { thrownBy } from '../support/thrownBy';

const TOKEN = 'abc123SECRETtoken_9f';
const PASSWORD = 's3cr3t-pass';
const HEADER_SECRET = 'hdr-SECRET-apikey-51';

function someSpans(count: number, resource?: Record<string, string>): ReadableSpan[] {
  return recordSpans(
    (tracer) => {
      for (let i = 0; i < count; i++) tracer.startSpan(`op-${i}`, { attributes: { i } }).end();
    },
    resource ? { resource } : {},
  );
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(`user:${PASSWORD}`).toString('base64'));
  expect(text).not.toContain(HEADER_SECRET);
}

describe('JaegerHttpExporter', () => {
  let collector: FakeJaegerCollector;
  let diagCapture: DiagCapture;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
  beforeEach(async () => {
    collector = await startFakeJaegerCollector();
    diagCapture = captureDiag(DiagLogLevel.WARN);
  });
  afterEach(async () => {
    diagCapture.restore();
    await collector.close();
  });

  describe('when the collector accepts', () => {
    it('POSTs Thrift to the token path with the content type, basic auth and extra headers', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.urlWithToken(TOKEN),
        username: 'user',
        password: PASSWORD,
        headers: { 'x-tenant': 'blue' },
      });
      const spans = someSpans(3, { 'service.name': 'orders' });
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(collector.batches.map((b) => b.serviceName)).toEqual(['orders']);
      expect(collector.spans().map((s) => s.operationName)).toEqual(['op-0', 'op-1', 'op-2']);
      const [request] = collector.requests;
      expect(request.path).toBe(`/adapt_${TOKEN}/api/traces`);
      expect(request.headers['content-type']).toBe('application/x-thrift');
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`,
      );
      expect(request.headers['x-tenant']).toBe('blue');
      expect(request.headers.connection).toBe('keep-alive');
    });

    it('takes basic-auth credentials from the URL userinfo, and does not send them in the path', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.url.replace('http://', `http://user:${PASSWORD}@`),
      });
      expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.requests[0].path).toBe('/api/traces');
      expect(collector.requests[0].headers.authorization).toBe(
        `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`,
      );
    });

    it('sends one batch per resource', async () => {
      const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
      const spans = [...someSpans(2, { 'service.name': 'a' }), ...someSpans(1, { 'service.name': 'b' })];
      expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.batches.map((b) => [b.serviceName, b.spans.length])).toEqual([
        ['a', 2],
        ['b', 1],
      ]);
    });

    it('splits spans over several requests to stay under maxPayloadBytes', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.url,
        maxPayloadBytes: 2048,
      });
      const spans = someSpans(100);
      expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.requests.length).toBeGreaterThan(1);
      for (const r of collector.requests) expect(r.bytes).toBeLessThanOrEqual(2048);
      expect(collector.spans().map((s) => s.operationName)).toEqual(spans.map((s) => s.name));
    });

    it('leaves out a span larger than maxPayloadBytes, counts it in the result, and sends the rest', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.url,
        maxPayloadBytes: 2048,
      });
      const spans = recordSpans((tracer) => {
        tracer.startSpan('small').end();
        tracer.startSpan('huge', { attributes: { blob: 'x'.repeat(5000) } }).end();
      });
      const results = [await exportOnce(exporter, spans), await exportOnce(exporter, spans)];
      await exporter.shutdown();
      for (const result of results as DeliveryResult[]) {
        expect(result.code).toBe(ExportResultCode.SUCCESS);
        expect(result.droppedSpans).toBe(1);
        expect(result.droppedReason).toContain('maxPayloadBytes (2048)');
      }
      expect(collector.spans().map((s) => s.operationName)).toEqual(['small', 'small']);
    });

    it.each([200, 204])('takes any 2xx answer (%i) as success', async (status) => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(status).end());
      });
      const base = await listenOnLoopback(server);
      try {
        const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: `${base}/api/traces` });
        expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.SUCCESS);
        await exporter.shutdown();
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('answers SUCCESS at once for no spans, without a request', async () => {
      const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
      expect((await exportOnce(exporter, [])).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.requests).toEqual([]);
    });
  });

  describe.each<[CollectorBehaviour, string]>([
    ['hang', 'no answer in time'],
    ['slow', 'no answer in time'],
    ['status400', 'HTTP 400'],
    ['status500', 'HTTP 500'],
    ['reset', 'connection reset'],
    ['garbage', 'not HTTP'],
  ])('when the collector misbehaves (%s)', (behaviour, reason) => {
    let exporter: JaegerHttpExporter;
    let results: ExportResult[];

    beforeEach(async () => {
      collector.setBehaviour(behaviour, 5_000);
      exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.urlWithToken(TOKEN),
        username: 'user',
        password: PASSWORD,
        headers: { 'X-Api-Key': HEADER_SECRET },
        timeoutMs: 300,
      });
      results = [];
      for (let i = 0; i < 3; i++) results.push(await exportOnce(exporter, someSpans(2)));
    });
    afterEach(() => exporter.shutdown());

    it('reports FAILED with the reason and the redacted URL', () => {
      for (const result of results) {
        expect(result.code).toBe(ExportResultCode.FAILED);
        expect(result.error?.message).toContain(reason);
        expect(result.error?.message).toContain('/adapt_***/api/traces');
      }
    });

    it('never shows the token, the password or an auth header', () => {
      for (const result of results)
        expectNoSecret(String(result.error?.message) + String(result.error?.stack));
      expectNoSecret(diagCapture.text());
    });

    it('leaves reporting to the export pipeline: nothing through diag per export', () => {
      expect(diagCapture.messages).toEqual([]);
    });
  });

  describe('when the collector is down (connection refused)', () => {
    it('reports FAILED, redacted, and nothing through diag', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: await closedPortUrl(`/adapt_${TOKEN}/api/traces`),
      });
      const results = [await exportOnce(exporter, someSpans(1)), await exportOnce(exporter, someSpans(1))];
      await exporter.shutdown();
      for (const result of results) {
        expect(result.code).toBe(ExportResultCode.FAILED);
        expect(result.error?.message).toContain('ECONNREFUSED');
        expectNoSecret(String(result.error?.message));
      }
      expect(diagCapture.messages).toEqual([]);
    });
  });

  describe('when the collector is slow but within timeoutMs', () => {
    it('waits for it and reports SUCCESS', async () => {
      collector.setBehaviour('slow', 50);
      const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url, timeoutMs: 5_000 });
      expect((await exportOnce(exporter, someSpans(2))).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(collector.spans()).toHaveLength(2);
    });
  });

  describe('when the result callback throws', () => {
    it('keeps the error away from the caller (no unhandled rejection)', async () => {
      const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
      let called = false;
      expect(() =>
        exporter.export(someSpans(1), () => {
          called = true;
          throw new Error('callback bug');
        }),
      ).not.toThrow();
      await exporter.forceFlush();
      await exporter.shutdown();
      expect(called).toBe(true);
    });
  });

  describe('when the collector answers with an endless body', () => {
    it('reports SUCCESS on the 2xx status and drops the connection after a capped read', async () => {
      let serverSocket: Socket | undefined;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          serverSocket = req.socket;
          res.writeHead(202, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(16 * 1024, 'x');
          const pump = (): void => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          res.on('error', () => undefined);
          pump();
        });
      });
      const base = await listenOnLoopback(server);
      try {
        const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: `${base}/api/traces` });
        expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.SUCCESS);
        // The exporter stops reading and closes: the endless answer ends (else this test times out).
        await new Promise<void>((resolve) =>
          serverSocket!.destroyed ? resolve() : serverSocket!.once('close', () => resolve()),
        );
        await exporter.shutdown();
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('when a configured header value is not allowed in HTTP', () => {
    it('reports FAILED without throwing and without the value', async () => {
      const exporter = new JaegerHttpExporter({
        kind: 'jaeger',
        endpoint: collector.url,
        headers: { 'x-token': 'evil-value\r\nx-injected: 1' },
      });
      let result: ExportResult | undefined;
      expect(() => exporter.export(someSpans(1), (r) => (result = r))).not.toThrow();
      await exporter.forceFlush();
      await exporter.shutdown();
      expect(result?.code).toBe(ExportResultCode.FAILED);
      expect(String(result?.error?.message)).not.toContain('evil-value');
      expect(collector.requests).toEqual([]);
      expect(diagCapture.text()).not.toContain('evil-value');
    });
  });

  describe('when shut down', () => {
    it('fails later exports at once without a request', async () => {
      const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
      await exporter.shutdown();
      expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.FAILED);
      expect(collector.requests).toEqual([]);
    });

    it('closes its keep-alive connection to the collector', async () => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(202).end());
      });
      const sockets: Socket[] = [];
      server.on('connection', (s) => sockets.push(s));
      const base = await listenOnLoopback(server);
      try {
        const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: `${base}/api/traces` });
        expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.SUCCESS);
        expect((await exportOnce(exporter, someSpans(1))).code).toBe(ExportResultCode.SUCCESS);
        expect(sockets).toHaveLength(1); // keep-alive: the second export reused the connection
        const closed = new Promise<void>((resolve) => sockets[0].once('close', () => resolve()));
        await exporter.shutdown();
        await closed; // without shutdown closing it, this never resolves and the test times out
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('when the endpoint is not an http(s) URL', () => {
    it('throws at construction, without the secret', () => {
      expect(
        () => new JaegerHttpExporter({ kind: 'jaeger', endpoint: `ftp://h/adapt_${TOKEN}/api/traces` }),
      ).toThrow(/http: or https:/);
      expect(() => new JaegerHttpExporter({ kind: 'jaeger', endpoint: `not a url adapt_${TOKEN}` })).toThrow(
        /not a valid URL/,
      );
      const error = thrownBy(
        () => new JaegerHttpExporter({ kind: 'jaeger', endpoint: `not a url /adapt_${TOKEN}/` }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expectNoSecret(String(error));
    });
  });
});

describe("JaegerHttpExporter under OpenTelemetry's own BatchSpanProcessor", () => {
  describe('when the provider is flushed', () => {
    it('delivers the spans a tracer ended, with parents, to the collector', async () => {
      const collector = await startFakeJaegerCollector();
      try {
        const provider = new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': 'batch-test' }),
          spanProcessors: [
            new BatchSpanProcessor(new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url })),
          ],
        });
        const tracer = provider.getTracer('t');
        const parent = tracer.startSpan('parent');
        tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
        parent.end();
        await provider.forceFlush();
        await provider.shutdown();

        const spans = collector.spans();
        const byName = Object.fromEntries(spans.map((s) => [s.operationName, s]));
        expect(Object.keys(byName).sort()).toEqual(['child', 'parent']);
        expect(byName.child.parentSpanId).toBe(byName.parent.spanId);
        expect(byName.child.traceId).toBe(parent.spanContext().traceId);
        expect(collector.batches[0].serviceName).toBe('batch-test');
      } finally {
        await collector.close();
      }
    });
  });
});
