// A Jaeger agent on 127.0.0.1 for tests: a UDP socket taking `emitBatch` datagrams in the compact protocol,
// each read with the `thrift` package's TCompactProtocol (independent of our encoder).
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { decodeCompactAgentMessage, type DecodedAgentMessage, type DecodedSpan } from './jaegerThriftReader';

export interface FakeJaegerAgent {
  port: number;
  /** Every datagram received, decoded. */
  messages: DecodedAgentMessage[];
  spans(): DecodedSpan[];
  /** Resolves once `count` spans arrived, over however many datagrams; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  close(): Promise<void>;
}

export async function startFakeJaegerAgent(): Promise<FakeJaegerAgent> {
  const socket = dgram.createSocket('udp4');
  const messages: DecodedAgentMessage[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const spans = () => messages.flatMap((message) => message.batch.spans);
  socket.on('message', (datagram) => {
    messages.push(decodeCompactAgentMessage(datagram));
    const count = spans().length;
    const ready = waiters.filter((w) => count >= w.count);
    waiters = waiters.filter((w) => count < w.count);
    for (const waiter of ready) waiter.resolve();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    messages,
    spans,
    waitForSpans(count, timeoutMs = 5000) {
      if (spans().length >= count) return Promise.resolve(spans());
      return new Promise<DecodedSpan[]>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake agent: ${spans().length} of ${count} spans`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(spans());
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
