import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { PropagationFormat } from '@tracery/core';
import { bundleForNode } from '../support/bundleSource';
import { killChildren, listeningPort, startNode } from '../support/childProcess';
import { spanRecords, type SpanRecord } from '../support/stdoutSpanExporter';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

/** What each format puts on the wire (header names as Node's http lower-cases them). */
const FORMATS: { format: PropagationFormat; headers: string[]; baggageHeaders: string[] }[] = [
  { format: 'w3c', headers: ['traceparent'], baggageHeaders: ['baggage'] },
  {
    format: 'jaeger',
    headers: ['uber-trace-id'],
    baggageHeaders: ['uberctx-tenant.id', 'uberctx-user.plan'],
  },
  { format: 'b3', headers: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled'], baggageHeaders: [] },
  { format: 'b3single', headers: ['b3'], baggageHeaders: [] },
];

interface Exchange {
  headers: Record<string, string>;
  serverReceived: { baggage: Record<string, string> };
  client: SpanRecord[];
  server: SpanRecord[];
}

describe('TracerService.inject and TracerService.extract across processes', () => {
  let workDir: string;
  let peer: string;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-propagation-'));
    peer = await bundleForNode(path.join(__dirname, 'fixtures', 'peer.ts'), path.join(workDir, 'peer.js'));
  });

  afterAll(async () => {
    await killChildren();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function exchange(
    format: PropagationFormat | 'default',
    serverFormat = format,
    env: NodeJS.ProcessEnv = {},
  ): Promise<Exchange> {
    const childEnv = { ...process.env, OTEL_PROPAGATORS: undefined, ...env };
    const server = startNode([peer, 'server', serverFormat], { env: childEnv });
    const port = await listeningPort(server);
    const client = startNode([peer, 'client', format, `http://127.0.0.1:${port}/call`], { env: childEnv });
    const [clientExit, serverExit] = await Promise.all([client.exited, server.exited]);
    expect({
      client: clientExit.code,
      server: serverExit.code,
      stderr: client.stderr() + server.stderr(),
    }).toEqual({
      client: 0,
      server: 0,
      stderr: '',
    });
    const headersLine = client.lines.find((line) => line.startsWith('HEADERS '))!;
    const responseLine = client.lines.find((line) => line.startsWith('RESPONSE '))!;
    return {
      headers: JSON.parse(headersLine.slice('HEADERS '.length)),
      serverReceived: JSON.parse(responseLine.slice('RESPONSE '.length)),
      client: spanRecords(client.lines),
      server: spanRecords(server.lines),
    };
  }

  describe.each(FORMATS)('when the client injects $format', ({ format, headers, baggageHeaders }) => {
    let result: Exchange;

    beforeAll(async () => {
      result = await exchange(format);
    });

    it('puts the headers of that format on the request', () => {
      expect(Object.keys(result.headers).sort()).toEqual([...headers, ...baggageHeaders].sort());
    });

    it('continues the same trace in the server process', () => {
      const [clientSpan] = result.client;
      const traceIds = new Set([...result.client, ...result.server].map((span) => span.traceId));
      expect(traceIds).toEqual(new Set([clientSpan.traceId]));
      expect(clientSpan.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(clientSpan.traceId).not.toBe('0'.repeat(32));
    });

    it('makes the server span a child of the client span, with its parent marked remote', () => {
      const clientSpan = result.client.find((span) => span.name === 'GET /call')!;
      const serverSpan = result.server.find((span) => span.name === 'GET /call')!;
      expect(serverSpan.parentSpanId).toBe(clientSpan.spanId);
      expect(serverSpan.parentIsRemote).toBe(true);
      expect(clientSpan.parentSpanId).toBeUndefined();
    });

    it('marks the client span CLIENT and the server span SERVER', () => {
      expect(result.client.map((span) => [span.service, span.name, span.kind])).toEqual([
        ['propagation-client', 'GET /call', SpanKind.CLIENT],
      ]);
      expect(result.server.find((span) => span.name === 'GET /call')).toMatchObject({
        service: 'propagation-server',
        kind: SpanKind.SERVER,
      });
    });

    it('keeps the server work under the server span', () => {
      const serverSpan = result.server.find((span) => span.name === 'GET /call')!;
      expect(result.server.find((span) => span.name === 'inventory.lookup')).toMatchObject({
        parentSpanId: serverSpan.spanId,
        kind: SpanKind.INTERNAL,
        attributes: { 'inventory.sku': 'sku-1' },
      });
    });

    if (baggageHeaders.length > 0) {
      it('carries the baggage to the server', () => {
        expect(result.serverReceived.baggage).toEqual({ 'tenant.id': 'acme', 'user.plan': 'gold' });
      });
    } else {
      it('carries no baggage (B3 has no baggage header)', () => {
        expect(result.serverReceived.baggage).toEqual({});
      });
    }
  });

  describe('when the server expects another format than the client sends', () => {
    let result: Exchange;

    beforeAll(async () => {
      result = await exchange('jaeger', 'w3c');
    });

    it('starts a new trace in the server process instead of joining a wrong one', () => {
      const clientSpan = result.client[0];
      const serverSpan = result.server.find((span) => span.name === 'GET /call')!;
      expect(serverSpan.parentSpanId).toBeUndefined();
      expect(serverSpan.traceId).not.toBe(clientSpan.traceId);
      expect(result.serverReceived.baggage).toEqual({});
    });
  });

  describe('when neither side names a format and OTEL_PROPAGATORS=jaeger', () => {
    let result: Exchange;

    beforeAll(async () => {
      result = await exchange('default', 'default', { OTEL_PROPAGATORS: 'jaeger' });
    });

    it('uses the Jaeger headers on both sides and continues the trace with its baggage', () => {
      const clientSpan = result.client[0];
      const serverSpan = result.server.find((span) => span.name === 'GET /call')!;
      expect(Object.keys(result.headers).sort()).toEqual([
        'uber-trace-id',
        'uberctx-tenant.id',
        'uberctx-user.plan',
      ]);
      expect(serverSpan).toMatchObject({ traceId: clientSpan.traceId, parentSpanId: clientSpan.spanId });
      expect(result.serverReceived.baggage).toEqual({ 'tenant.id': 'acme', 'user.plan': 'gold' });
    });
  });
});
