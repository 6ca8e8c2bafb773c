// A Jaeger agent's sampling endpoint on 127.0.0.1 for tests: answers `GET /sampling?service=<name>` with the
// strategy it is told to serve, in the JSON form of Jaeger's `SamplingStrategyResponse`. Every strategy it
// serves is first checked against Jaeger's own IDL (`sampling.thrift` in the shared specs, read by thriftrw),
// so a test can only serve what a real agent could. It can also misbehave: garbage, an HTTP error, a hang.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { repoRoot } from './bundleSource';
import { listenOnLoopback } from './loopback';

/** Jaeger's sampling IDL, used in place (never copied into the repository). */
export const SAMPLING_IDL_PATH = path.join(
  repoRoot,
  '..',
  'shared',
  'specs',
  'jaeger-idl-thrift',
  'sampling.thrift',
);

/** `SamplingStrategyResponse` as the agent serves it in JSON (enum values by name). */
export interface SamplingStrategyResponse {
  strategyType: 'PROBABILISTIC' | 'RATE_LIMITING';
  probabilisticSampling?: { samplingRate: number };
  rateLimitingSampling?: { maxTracesPerSecond: number };
  operationSampling?: {
    defaultSamplingProbability: number;
    defaultLowerBoundTracesPerSecond: number;
    perOperationStrategies: { operation: string; probabilisticSampling: { samplingRate: number } }[];
    defaultUpperBoundTracesPerSecond?: number;
  };
}

/** What the server answers: a strategy, raw bytes (garbage), an HTTP status, or nothing at all. */
export type SamplingAnswer =
  { strategy: SamplingStrategyResponse } | { body: string } | { status: number } | { hang: true };

export interface SamplingRequest {
  path: string;
  service: string | null;
}

export interface FakeSamplingServer {
  /** `http://127.0.0.1:<port>/sampling` */
  endpoint: string;
  /** `127.0.0.1:<port>` */
  hostPort: string;
  port: number;
  /** Every request received, in order. */
  requests: SamplingRequest[];
  /** What every later request is answered with. */
  serve(answer: SamplingAnswer): void;
  /** Resolves when the server has received `count` requests in all (already answered by then). */
  requestCount(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// thriftrw ships no type declarations.
const { Thrift } = require('thriftrw') as { Thrift: new (options: object) => unknown };
type StrategyType = { toBufferResult(value: unknown): { err: Error | null } };
let idl: { SamplingStrategyResponse: StrategyType } | undefined;

/** Throws unless `strategy` is a valid `SamplingStrategyResponse` by Jaeger's IDL. */
export function checkAgainstIdl(strategy: SamplingStrategyResponse): void {
  idl ??= new Thrift({
    source: fs.readFileSync(SAMPLING_IDL_PATH, 'utf8'),
    strict: false,
  }) as unknown as NonNullable<typeof idl>;
  const { err } = idl.SamplingStrategyResponse.toBufferResult(strategy);
  if (err) throw new Error(`not a SamplingStrategyResponse by sampling.thrift: ${err.message}`);
}

export async function startFakeSamplingServer(first: SamplingAnswer): Promise<FakeSamplingServer> {
  if ('strategy' in first) checkAgainstIdl(first.strategy);
  let answer = first;
  const requests: SamplingRequest[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, service: url.searchParams.get('service') });
    if ('hang' in answer) {
      hanging.add(res);
    } else if ('status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('no strategy');
    } else if ('body' in answer) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer.body);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.strategy));
    }
    const ready = waiters.filter((w) => requests.length >= w.count);
    waiters = waiters.filter((w) => requests.length < w.count);
    for (const waiter of ready) waiter.resolve();
  });
  const base = await listenOnLoopback(server);
  const port = Number(new URL(base).port);

  return {
    endpoint: `${base}/sampling`,
    hostPort: `127.0.0.1:${port}`,
    port,
    requests,
    serve(next) {
      if ('strategy' in next) checkAgainstIdl(next.strategy);
      answer = next;
    },
    requestCount(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fewer than ${count} sampling requests`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
