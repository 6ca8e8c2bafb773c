import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { PropagationFormat } from '@tracery/core';
import { bundleForNode } from '../support/bundleSource';
import { killChildren, listeningPort, startNode, type RunningChild } from '../support/childProcess';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';
import { startFakeOtlpCollector, type FakeOtlpCollector } from '../support/fakeOtlpCollector';
import { startFakeZipkinCollector, type FakeZipkinCollector } from '../support/fakeZipkinCollector';
import { spanRecords, type SpanRecord } from '../support/stdoutSpanExporter';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

const INSTRUMENTATION_SCOPE = '@opentelemetry/instrumentation-http';

/** What each format puts on the wire (header names as Node's http lower-cases them). */
const FORMATS: { format: PropagationFormat; headers: string[]; baggage: boolean }[] = [
  { format: 'w3c', headers: ['traceparent'], baggage: true },
  { format: 'jaeger', headers: ['uber-trace-id'], baggage: true },
  { format: 'b3', headers: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled'], baggage: false },
  { format: 'b3single', headers: ['b3'], baggage: false },
];

/** Every header a format may carry the trace context in: none must reach a collector. */
const TRACE_HEADERS = ['traceparent', 'tracestate', 'uber-trace-id', 'b3', 'x-b3-traceid', 'x-b3-spanid'];

describe('OpenTelemetry HTTP instrumentation with Tracery, across processes', () => {
  let workDir: string;
  let peer: string;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-instrumentation-'));
    peer = await bundleForNode(
      path.join(__dirname, 'fixtures', 'instrumentedPeer.ts'),
      path.join(workDir, 'peer.js'),
    );
  });

  afterAll(async () => {
    await killChildren();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const childEnv = { ...process.env, OTEL_PROPAGATORS: undefined, OTEL_TRACES_EXPORTER: undefined };

  async function startServer(
    format: PropagationFormat,
    requests = 1,
  ): Promise<{ server: RunningChild; url: string }> {
    const server = startNode([peer, 'server', format, String(requests)], { env: childEnv });
    return { server, url: `http://127.0.0.1:${await listeningPort(server)}/call` };
  }

  async function exitsCleanly(...children: RunningChild[]): Promise<void> {
    const exits = await Promise.all(children.map((child) => child.exited));
    expect({
      codes: exits.map((exit) => exit.code),
      stderr: children.map((child) => child.stderr()).join(''),
    }).toEqual({ codes: children.map(() => 0), stderr: '' });
  }

  describe.each(FORMATS)('when TracerService propagates $format', ({ format, headers, baggage }) => {
    let client: SpanRecord[];
    let server: SpanRecord[];
    let received: { headers: Record<string, string>; baggage: Record<string, string> };

    beforeAll(async () => {
      const started = await startServer(format);
      const clientProcess = startNode([peer, 'client', format, started.url], { env: childEnv });
      await exitsCleanly(clientProcess, started.server);
      const response = clientProcess.lines.find((line) => line.startsWith('RESPONSE '))!;
      received = JSON.parse(response.slice('RESPONSE '.length));
      client = spanRecords(clientProcess.lines);
      server = spanRecords(started.server.lines);
    });

    const named = (spans: SpanRecord[], name: string, kind?: SpanKind): SpanRecord =>
      spans.find((span) => span.name === name && (kind === undefined || span.kind === kind))!;

    it('makes the outgoing request a CLIENT span under the @Traced method, carrying the headers of the format', () => {
      const place = named(client, 'Orders.place');
      const outgoing = named(client, 'GET', SpanKind.CLIENT);
      expect(outgoing.parentSpanId).toBe(place.spanId);
      expect(outgoing.attributes['url.full']).toBe(
        received.headers.host && `http://${received.headers.host}/call`,
      );
      for (const header of headers) expect(received.headers).toHaveProperty(header);
      for (const other of TRACE_HEADERS.filter((name) => !headers.includes(name)))
        expect(received.headers).not.toHaveProperty(other);
    });

    it("makes the incoming request a SERVER span continuing the client's trace under its CLIENT span", () => {
      const outgoing = named(client, 'GET', SpanKind.CLIENT);
      const incoming = named(server, 'GET', SpanKind.SERVER);
      expect(incoming).toMatchObject({
        traceId: outgoing.traceId,
        parentSpanId: outgoing.spanId,
        parentIsRemote: true,
        service: 'instrumented-server',
      });
    });

    it("nests the server's @Traced span under the SERVER span", () => {
      expect(named(server, 'Stock.count').parentSpanId).toBe(named(server, 'GET', SpanKind.SERVER).spanId);
    });

    it(`carries the baggage${baggage ? '' : ' not (the format has none)'}`, () => {
      expect(received.baggage).toEqual(baggage ? { 'tenant.id': 'acme' } : {});
    });

    it('records the spans of the two instrumented sides by the instrumentation, the others by Tracery', () => {
      expect(client.map((span) => span.name).sort()).toEqual(['GET', 'Orders.place']);
      expect(server.map((span) => span.name).sort()).toEqual(['GET', 'Stock.count']);
    });
  });

  describe('when the caller is a tracedHandler of @tracery/fc, on its own provider', () => {
    let collector: FakeJaegerCollector;
    let fcProcess: RunningChild;
    let server: SpanRecord[];

    beforeAll(async () => {
      collector = await startFakeJaegerCollector();
      const started = await startServer('w3c', 2);
      fcProcess = startNode([peer, 'fc', started.url, collector.url], { env: childEnv });
      await exitsCleanly(fcProcess, started.server);
      server = spanRecords(started.server.lines);
    });

    afterAll(() => collector.close());

    it('nests the outgoing CLIENT span under the invocation span (through the @Traced method)', () => {
      const spans = collector.spans();
      const invocation = spans.find((span) => span.operationName === 'order-function')!;
      const place = spans.find((span) => span.operationName === 'Orders.place')!;
      const outgoing = spans.find((span) => span.operationName === 'GET')!;
      expect(place.parentSpanId).toBe(invocation.spanId);
      expect(outgoing).toMatchObject({ parentSpanId: place.spanId, traceId: invocation.traceId });
      expect(outgoing.tags).toMatchObject({
        'span.kind': 'client',
        'otel.scope.name': INSTRUMENTATION_SCOPE,
      });
    });

    it("continues the invocation's trace in the called service", () => {
      const outgoing = collector.spans().find((span) => span.operationName === 'GET')!;
      const [first] = server.filter((span) => span.kind === SpanKind.SERVER);
      expect(first).toMatchObject({ traceId: outgoing.traceId, parentSpanId: outgoing.spanId });
    });

    it('sends nothing of the call FC did not trace, and its request carries no trace context', () => {
      const untraced = fcProcess.lines.find((line) => line.startsWith('UNTRACED '))!;
      const { headers } = JSON.parse(untraced.slice('UNTRACED '.length)) as {
        headers: Record<string, string>;
      };
      for (const header of TRACE_HEADERS) expect(headers).not.toHaveProperty(header);
      expect(
        collector
          .spans()
          .map((span) => span.operationName)
          .sort(),
      ).toEqual(['GET', 'Orders.place', 'order-function', 'order-function']);
      // the untraced call's SERVER span on the other side starts a trace of its own
      const incoming = server.filter((span) => span.kind === SpanKind.SERVER);
      expect(incoming).toHaveLength(2);
      expect(incoming[1].parentSpanId).toBeUndefined();
    });

    it("never traces the flushes to FC's endpoint (no trace headers, no span of them)", () => {
      expect(collector.requests.length).toBeGreaterThanOrEqual(2);
      for (const request of collector.requests)
        for (const header of TRACE_HEADERS) expect(request.headers).not.toHaveProperty(header);
      expect(
        collector.spans().filter((span) => String(span.tags['url.full'] ?? '').includes(collector.url)),
      ).toEqual([]);
    });
  });

  describe('when a TracerService exports to Jaeger, OTLP and Zipkin collectors', () => {
    let jaeger: FakeJaegerCollector;
    let otlp: FakeOtlpCollector;
    let zipkin: FakeZipkinCollector;

    beforeAll(async () => {
      [jaeger, otlp, zipkin] = await Promise.all([
        startFakeJaegerCollector(),
        startFakeOtlpCollector(),
        startFakeZipkinCollector(),
      ]);
      const exporting = startNode([peer, 'exports', jaeger.url, otlp.url, zipkin.url], { env: childEnv });
      await exitsCleanly(exporting);
      expect(exporting.lines).toContain('FLUSHED {"complete":true,"delivered":3,"dropped":0}');
    });

    afterAll(() => Promise.all([jaeger.close(), otlp.close(), zipkin.close()]));

    it('sends each collector exactly the two spans made, no span of its own export requests', () => {
      expect(
        jaeger
          .spans()
          .map((span) => span.operationName)
          .sort(),
      ).toEqual(['more work', 'work']);
      expect(otlp.spans.map((span) => span.name).sort()).toEqual(['more work', 'work']);
      expect(zipkin.spans.map((span) => span.name).sort()).toEqual(['more work', 'work']);
    });

    it('sends no trace context in the export requests', () => {
      const requests = [...jaeger.requests, ...otlp.requests, ...zipkin.requests];
      expect(requests.length).toBeGreaterThanOrEqual(6);
      for (const request of requests)
        for (const header of TRACE_HEADERS) expect(request.headers).not.toHaveProperty(header);
    });
  });
});
