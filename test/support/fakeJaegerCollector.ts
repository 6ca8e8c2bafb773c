// A Jaeger collector on 127.0.0.1 for tests: accepts `POST /api/traces` and `POST /adapt_<token>/api/traces`,
// decodes each body with the `thrift` package's TBinaryProtocol (independent of our encoder), and can misbehave
// on demand (hang, answer slowly, 400, 500, reset the connection, answer bytes that are not HTTP).
import {
  asError,
  recordPostsTo,
  startFakeCollectorServer,
  type CollectorBehaviour,
  type ReceivedRequest,
} from './fakeCollectorServer';
import { decodeBinaryBatch, type DecodedBatch, type DecodedSpan } from './jaegerThriftReader';

export type { CollectorBehaviour } from './fakeCollectorServer';
export type { DecodedBatch, DecodedSpan } from './jaegerThriftReader';

export interface FakeJaegerCollector {
  /** http://127.0.0.1:<port>/api/traces */
  url: string;
  /** http://127.0.0.1:<port>/adapt_<token>/api/traces (also accepted) */
  urlWithToken(token: string): string;
  /** Every batch accepted so far (behaviours `accept` and `slow`), in arrival order. */
  batches: DecodedBatch[];
  /** The spans of every accepted batch, flattened. */
  spans(): DecodedSpan[];
  /** Every request that reached the server, whatever the behaviour. */
  requests: ReceivedRequest[];
  /** Bodies that arrived while accepting but could not be decoded (answered 400). */
  decodeErrors: Error[];
  /** `delayMs` is the answer delay of `slow` (default 200 ms). */
  setBehaviour(b: CollectorBehaviour, delayMs?: number): void;
  /** Resolves once at least `count` spans were accepted; rejects after `timeoutMs` (default 5000). */
  waitForSpans(count: number, timeoutMs?: number): Promise<DecodedSpan[]>;
  /** Closes the server and every connection (keep-alive and hanging ones included). */
  close(): Promise<void>;
}

const TRACES_PATH = /^\/(?:adapt_[^/]+\/)?api\/traces$/;
const BAD_BODY_TEXT = 'Unable to process request body';

export async function startFakeJaegerCollector(
  options: { behaviour?: CollectorBehaviour; delayMs?: number } = {},
): Promise<FakeJaegerCollector> {
  const batches: DecodedBatch[] = [];
  const requests: FakeJaegerCollector['requests'] = [];
  const decodeErrors: Error[] = [];
  let waiters: { count: number; resolve: (spans: DecodedSpan[]) => void }[] = [];

  const spans = (): DecodedSpan[] => batches.flatMap((b) => b.spans);
  const notify = (): void => {
    const all = spans();
    const ready = waiters.filter((w) => all.length >= w.count);
    waiters = waiters.filter((w) => all.length < w.count);
    for (const w of ready) w.resolve(all);
  };

  const server = await startFakeCollectorServer({
    ...options,
    status400Text: BAD_BODY_TEXT,
    receive: recordPostsTo(TRACES_PATH, requests),
    accept(_req, body, res) {
      let batch: DecodedBatch;
      try {
        batch = decodeBinaryBatch(body);
      } catch (err) {
        decodeErrors.push(asError(err));
        res.writeHead(400, { 'content-type': 'text/plain' }).end(BAD_BODY_TEXT);
        return;
      }
      batches.push(batch);
      res.writeHead(202).end();
      notify();
    },
  });
  const base = server.baseUrl;

  return {
    url: `${base}/api/traces`,
    urlWithToken: (token) => `${base}/adapt_${token}/api/traces`,
    batches,
    spans,
    requests,
    decodeErrors,
    setBehaviour: (b, ms) => server.setBehaviour(b, ms),
    waitForSpans(count, timeoutMs = 5000) {
      const all = spans();
      if (all.length >= count) return Promise.resolve(all);
      return new Promise<DecodedSpan[]>((resolve, reject) => {
        const waiter = {
          count,
          resolve: (s: DecodedSpan[]) => {
            clearTimeout(timer);
            resolve(s);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(
            new Error(`fake Jaeger collector: ${spans().length} of ${count} spans after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => server.close(),
  };
}
