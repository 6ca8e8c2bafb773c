// Captures what reaches a collector, byte for byte, for checks against the formats' specifications: an HTTP
// server and a UDP socket on 127.0.0.1 that keep every request body / datagram and decode nothing.
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import { listenOnLoopback } from './loopback';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpCapture {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** An HTTP server that keeps every request and answers each with `status` (default 202), empty. */
export async function startHttpCapture(status = 202): Promise<HttpCapture> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(status).end();
    });
  });
  const baseUrl = await listenOnLoopback(server);
  return {
    baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface UdpCapture {
  port: number;
  /** Every datagram received so far, in arrival order. */
  datagrams: Buffer[];
  close(): Promise<void>;
}

/** A UDP socket on 127.0.0.1 that keeps every datagram. */
export async function startUdpCapture(): Promise<UdpCapture> {
  const datagrams: Buffer[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => datagrams.push(message));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    port: socket.address().port,
    datagrams,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
