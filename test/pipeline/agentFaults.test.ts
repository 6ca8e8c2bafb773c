// The Jaeger UDP agent exporter through the pipeline: UDP has no answers, so its faults are the kernel's and the
// payload's. Nothing throws, a refused send is reported once, spans too large for a datagram are counted.
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DiagLogLevel } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { createExporter } from '@tracery/exporters';
import { captureDiag, type DiagCapture } from '../support/captureDiag';

function service(agent: { host: string; port: number; maxPacketSize?: number }): TracerService {
  return new TracerService({
    serviceName: 'agent-matrix',
    exporter: createExporter({ kind: 'jaeger', agent, timeoutMs: 400 }),
    registerGlobal: false,
    pipeline: { env: {} },
  });
}

describe('Jaeger UDP agent exports through the pipeline', () => {
  let diagCapture: DiagCapture;
  beforeEach(() => (diagCapture = captureDiag(DiagLogLevel.INFO)));
  afterEach(() => diagCapture.restore());
  const ours = (): string[] =>
    diagCapture.messages.filter((m) => m.text.startsWith('@tracery')).map((m) => m.text);

  it('when nothing listens on the agent port: the datagrams leave (UDP has no answer), nothing is reported', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const { port } = socket.address() as AddressInfo;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    const tracing = service({ host: '127.0.0.1', port });
    for (let i = 0; i < 10; i++) tracing.startSpan(`s${i}`).end();
    expect(await tracing.flush()).toEqual({ complete: true, delivered: 10, dropped: 0 });
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    expect(ours()).toEqual([]);
  });

  it('when the kernel refuses every datagram: dropped and counted, reported once, nothing thrown', async () => {
    // The broadcast address without SO_BROADCAST: every send fails with EACCES, no network used.
    const tracing = service({ host: '255.255.255.255', port: 6831 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) tracing.startSpan(`s${i}`).end();
      expect(await tracing.flush()).toEqual({ complete: true, delivered: 0, dropped: 10 });
    }
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toContain('EACCES');
    expect(tracing.exportStats().dropped.exportFailed).toBe(30);
  });

  it('when a span is larger than a datagram: the others are sent, that one counted and reported once', async () => {
    const agent = dgram.createSocket('udp4');
    let datagrams = 0;
    agent.on('message', () => datagrams++);
    await new Promise<void>((resolve) => agent.bind(0, '127.0.0.1', () => resolve()));
    try {
      const tracing = service({
        host: '127.0.0.1',
        port: (agent.address() as AddressInfo).port,
        maxPacketSize: 1000,
      });
      for (let round = 0; round < 2; round++) {
        tracing.startSpan('small').end();
        tracing.startSpan('huge', { attributes: { blob: 'z'.repeat(3000) } }).end();
        expect(await tracing.flush()).toEqual({ complete: true, delivered: 1, dropped: 1 });
      }
      await tracing.shutdown();
      expect(tracing.exportStats().dropped.exporter).toBe(2);
      expect(ours()).toHaveLength(1);
      expect(ours()[0]).toContain('larger than maxPacketSize (1000 bytes)');
      for (let i = 0; i < 100 && datagrams < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(datagrams).toBe(2);
    } finally {
      agent.close();
    }
  });
});
