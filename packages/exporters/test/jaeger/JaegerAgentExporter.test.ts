import type { DeliveryResult } from '@tracery/commons';
// Datagrams go through a real UDP socket on 127.0.0.1 and are read with the `thrift` package's TCompactProtocol
// (thriftrw, the other decoder of the HTTP tests, has no compact protocol).
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DiagLogLevel, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JaegerAgentExporter } from '../../src/jaeger/JaegerAgentExporter';
import {
  decodeCompactAgentMessage,
  type DecodedAgentMessage,
} from '../../../../test/support/jaegerThriftReader';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { micros, recordSpans, remoteParent } from './recordSpans';
import { exportOnce } from '../support/exportOnce';

interface FakeAgent {
  port: number;
  datagrams: Buffer[];
  messages(): DecodedAgentMessage[];
  /** Resolves once `count` spans arrived, over however many datagrams. */
  waitForSpans(count: number): Promise<void>;
  close(): Promise<void>;
}

async function startFakeAgent(): Promise<FakeAgent> {
  const socket = dgram.createSocket('udp4');
  const datagrams: Buffer[] = [];
  let spanCount = 0;
  let waiters: { count: number; resolve: () => void }[] = [];
  socket.on('message', (msg) => {
    datagrams.push(msg);
    spanCount += decodeCompactAgentMessage(msg).batch.spans.length;
    const ready = waiters.filter((w) => spanCount >= w.count);
    waiters = waiters.filter((w) => spanCount < w.count);
    for (const w of ready) w.resolve();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    datagrams,
    messages: () => datagrams.map(decodeCompactAgentMessage),
    waitForSpans: (count) =>
      spanCount >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

describe('JaegerAgentExporter', () => {
  let agent: FakeAgent;
  let diagCapture: DiagCapture;
  beforeEach(async () => {
    agent = await startFakeAgent();
    diagCapture = captureDiag(DiagLogLevel.WARN);
  });
  afterEach(async () => {
    diagCapture.restore();
    await agent.close();
  });

  describe('when spans are exported', () => {
    const traceId = '8a3c60f7d188f8fa79d48a391a778fa6';
    let spans: ReadableSpan[];
    let message: DecodedAgentMessage;

    beforeAll(() => {
      spans = recordSpans(
        (tracer) => {
          const s = tracer.startSpan(
            'consume',
            {
              kind: SpanKind.CONSUMER,
              attributes: { str: 'ü', int: -5, big: 2 ** 45, dbl: 0.5, yes: true, no: false, list: [1, 2] },
              links: [{ context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 } }],
            },
            remoteParent(traceId, 'fedcba9876543210'),
          );
          s.addEvent('retry', { attempt: 3 });
          s.setStatus({ code: SpanStatusCode.ERROR, message: 'gave up' });
          s.end();
        },
        { spanIds: ['f000000000000001'], resource: { 'service.name': 'worker', region: 'cn-hangzhou' } },
      );
    });

    beforeEach(async () => {
      const exporter = new JaegerAgentExporter({
        kind: 'jaeger',
        agent: { host: '127.0.0.1', port: agent.port },
      });
      expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      await agent.waitForSpans(1);
      [message] = agent.messages();
    });

    it('sends a oneway emitBatch message', () => {
      expect(message.name).toBe('emitBatch');
      expect(message.type).toBe(4);
    });

    it('carries the process', () => {
      expect(message.batch.serviceName).toBe('worker');
      expect(message.batch.processTags).toEqual({ region: 'cn-hangzhou' });
    });

    it('carries ids (top bit set included), parent, name, flags and times', () => {
      const [span] = message.batch.spans;
      expect(span).toMatchObject({
        traceId,
        spanId: 'f000000000000001',
        parentSpanId: 'fedcba9876543210',
        operationName: 'consume',
        flags: 1,
        startTime: micros(spans[0].startTime),
        duration: micros(spans[0].duration),
      });
      expect(span.traceIdHigh < 0n).toBe(true);
    });

    it('carries attributes of every type, kind, status and scope as tags', () => {
      expect(message.batch.spans[0].tags).toEqual({
        str: 'ü',
        int: -5n,
        big: 2n ** 45n,
        dbl: 0.5,
        yes: true,
        no: false,
        list: '[1,2]',
        'span.kind': 'consumer',
        error: true,
        'otel.status_code': 'ERROR',
        'otel.status_description': 'gave up',
        'otel.scope.name': 'test-scope',
        'otel.scope.version': '1.2.3',
      });
    });

    it('carries events as logs and links as FOLLOWS_FROM references', () => {
      const [span] = message.batch.spans;
      expect(span.logs).toEqual([
        { timestamp: micros(spans[0].events[0].time), fields: { event: 'retry', attempt: 3n } },
      ]);
      expect(span.references).toEqual([{ refType: 1, traceId: 'c'.repeat(32), spanId: 'd'.repeat(16) }]);
    });
  });

  describe('when the spans do not fit in one datagram', () => {
    it('splits them over datagrams no larger than maxPacketSize, each a whole message', async () => {
      const spans = recordSpans((tracer) => {
        for (let i = 0; i < 300; i++)
          tracer.startSpan(`op-${i}`, { attributes: { i, pad: 'y'.repeat(40) } }).end();
      });
      const exporter = new JaegerAgentExporter({
        kind: 'jaeger',
        agent: { host: '127.0.0.1', port: agent.port, maxPacketSize: 1500 },
      });
      expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      await agent.waitForSpans(spans.length);
      expect(agent.datagrams.length).toBeGreaterThan(1);
      for (const d of agent.datagrams) expect(d.length).toBeLessThanOrEqual(1500);
      const messages = agent.messages();
      expect(messages.flatMap((m) => m.batch.spans.map((s) => s.operationName)).sort()).toEqual(
        spans.map((s) => s.name).sort(),
      );
      expect(new Set(messages.map((m) => m.seqId)).size).toBe(messages.length);
    });
  });

  describe('when one span alone is larger than maxPacketSize', () => {
    it('leaves it out, counts it in the result, and sends the others', async () => {
      const spans = recordSpans((tracer) => {
        tracer.startSpan('small').end();
        tracer.startSpan('huge', { attributes: { blob: 'z'.repeat(3000) } }).end();
      });
      const exporter = new JaegerAgentExporter({
        kind: 'jaeger',
        agent: { host: '127.0.0.1', port: agent.port, maxPacketSize: 1000 },
      });
      const results = [await exportOnce(exporter, spans), await exportOnce(exporter, spans)];
      for (const result of results as DeliveryResult[]) {
        expect(result.code).toBe(ExportResultCode.SUCCESS);
        expect(result.droppedSpans).toBe(1);
        expect(result.droppedReason).toContain('maxPacketSize (1000 bytes)');
      }
      await exporter.shutdown();
      await agent.waitForSpans(2);
      expect(agent.messages().flatMap((m) => m.batch.spans.map((s) => s.operationName))).toEqual([
        'small',
        'small',
      ]);
    });
  });

  describe('when sending fails', () => {
    it('reports FAILED without throwing, and nothing through diag (the pipeline reports)', async () => {
      // The broadcast address without SO_BROADCAST: the kernel refuses every datagram (EACCES), no network used.
      const exporter = new JaegerAgentExporter({
        kind: 'jaeger',
        agent: { host: '255.255.255.255', port: 6831 },
      });
      const results = [
        await exportOnce(
          exporter,
          recordSpans((t) => t.startSpan('a').end()),
        ),
      ];
      results.push(
        await exportOnce(
          exporter,
          recordSpans((t) => t.startSpan('b').end()),
        ),
      );
      await exporter.shutdown();
      for (const r of results) {
        expect(r.code).toBe(ExportResultCode.FAILED);
        expect(r.error?.message).toContain('datagram not sent (EACCES)');
      }
      expect(diagCapture.messages).toEqual([]);
    });
  });

  describe('when shut down', () => {
    it('fails later exports at once', async () => {
      const exporter = new JaegerAgentExporter({
        kind: 'jaeger',
        agent: { host: '127.0.0.1', port: agent.port },
      });
      await exporter.shutdown();
      expect(
        (
          await exportOnce(
            exporter,
            recordSpans((t) => t.startSpan('late').end()),
          )
        ).code,
      ).toBe(ExportResultCode.FAILED);
    });
  });
});
