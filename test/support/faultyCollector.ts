// A collector on 127.0.0.1 that misbehaves the way real networks and servers do, at the byte level (a raw TCP
// server, not Node's HTTP server, so every fault is exactly the bytes written): it reads each request in full, then
// answers by its current fault. Used by the fault matrix of the export pipeline (test/pipeline).
import * as net from 'node:net';
import * as tls from 'node:tls';

export type Fault =
  | 'healthy'
  | 'refused'
  | 'accept-and-hang'
  | 'headers-then-stall'
  | 'trickled-body'
  | 'reset-mid-body'
  | 'endless-body'
  | 'huge-content-length'
  | 'redirect'
  | 'client-error'
  | 'server-error'
  | 'garbage'
  | 'tls-to-plain-port'
  | 'plain-to-tls-port';

/** What a fault does to the spans of an export: delivered (a 2xx status came, whatever followed) or not. */
export const FAULT_OUTCOME: Record<Exclude<Fault, 'healthy'>, 'delivered' | 'failed'> = {
  refused: 'failed',
  'accept-and-hang': 'failed',
  'headers-then-stall': 'delivered',
  'trickled-body': 'delivered',
  'reset-mid-body': 'delivered',
  'endless-body': 'delivered',
  'huge-content-length': 'delivered',
  redirect: 'failed',
  'client-error': 'failed',
  'server-error': 'failed',
  garbage: 'failed',
  'tls-to-plain-port': 'failed',
  'plain-to-tls-port': 'failed',
};

export interface FaultyCollector {
  /** `http://127.0.0.1:<port>`, or `https://` for the fault `tls-to-plain-port` (the server speaks plain HTTP). */
  baseUrl: string;
  /** Requests read in full, and the bytes of their bodies. */
  requests: { path: string; headers: string; bodyBytes: number }[];
  /** Changes how later requests are answered (listening again when the fault needs another kind of server). */
  setFault(fault: Fault): Promise<void>;
  /** Connections open now (after a bounded wait for the ones the client closed to be noticed). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

/** Starts a collector with `fault` on a free port of 127.0.0.1. */
export async function startFaultyCollector(initial: Fault = 'healthy'): Promise<FaultyCollector> {
  let fault: Fault = initial;
  const requests: FaultyCollector['requests'] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let port = 0;

  const every = (ms: number, fn: () => boolean): void => {
    const timer = setInterval(() => {
      if (!fn()) {
        clearInterval(timer);
        timers.delete(timer);
      }
    }, ms);
    timers.add(timer);
  };

  /** Answers one request (read in full) by the current fault. */
  const answer = (socket: net.Socket): void => {
    const write = (text: string | Buffer): boolean => !socket.destroyed && socket.write(text);
    switch (fault) {
      case 'healthy':
        write('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n');
        return;
      case 'accept-and-hang':
        return;
      case 'headers-then-stall':
        write('HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n');
        return;
      case 'trickled-body':
        write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
        every(20, () => write('x'));
        return;
      case 'reset-mid-body':
        write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhalf of it');
        setImmediate(() => socket.resetAndDestroy());
        return;
      case 'endless-body': {
        write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = Buffer.from(`4000\r\n${'e'.repeat(0x4000)}\r\n`);
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
        return;
      }
      case 'huge-content-length': {
        write('HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n');
        const chunk = Buffer.alloc(64 * 1024, 'h');
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
        return;
      }
      case 'redirect':
        write(
          'HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      case 'client-error':
        write('HTTP/1.1 400 Bad Request\r\nContent-Length: 8\r\n\r\nbad body');
        return;
      case 'server-error':
        write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy');
        return;
      case 'garbage':
        socket.end('\x00\x01garbage\xff\r\n\r\nnot http at all\r\n');
        return;
      default:
        socket.destroy();
    }
  };

  /** Reads requests off a connection (keep-alive: one after another) and answers each. */
  const serve = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let needed = -1;
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (needed < 0) {
          const end = buffered.indexOf(HEAD_END);
          if (end < 0) {
            if (buffered.length > MAX_HEAD) socket.destroy();
            return;
          }
          head = buffered.subarray(0, end).toString('latin1');
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          needed = length ? Number(length[1]) : 0;
          buffered = buffered.subarray(end + HEAD_END.length);
        }
        if (buffered.length < needed) return;
        requests.push({ path: head.split(' ')[1] ?? '', headers: head, bodyBytes: needed });
        buffered = buffered.subarray(needed);
        needed = -1;
        answer(socket);
      }
    });
  };

  let server: net.Server | undefined;
  const listen = async (): Promise<void> => {
    server =
      fault === 'plain-to-tls-port'
        ? tls.createServer({}, () => undefined)
        : net.createServer((socket) => serve(socket));
    if (server instanceof tls.Server) {
      server.on('connection', (socket: net.Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.on('tlsClientError', () => undefined);
    }
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as net.AddressInfo).port;
  };
  const stop = async (): Promise<void> => {
    for (const timer of timers) clearInterval(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    const running = server;
    server = undefined;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  };

  if (initial !== 'refused') await listen();
  else {
    // A port just freed: connecting is refused until setFault listens on it again.
    fault = 'healthy';
    await listen();
    await stop();
    fault = 'refused';
  }

  const collector: FaultyCollector = {
    get baseUrl() {
      return `${fault === 'tls-to-plain-port' ? 'https' : 'http'}://127.0.0.1:${port}`;
    },
    requests,
    async setFault(next) {
      const relisten =
        (fault === 'refused') !== (next === 'refused') ||
        (fault === 'plain-to-tls-port') !== (next === 'plain-to-tls-port');
      if (relisten) await stop();
      fault = next;
      if (relisten && next !== 'refused') await listen();
    },
    async openConnections() {
      for (let i = 0; i < 200 && sockets.size > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      return sockets.size;
    },
    close: stop,
  };
  return collector;
}
