// A Zipkin server (v2 JSON API, `POST /api/v2/spans`) on 127.0.0.1 for tests: parses each body with
// JSON.parse and keeps the spans; can misbehave on demand like the other fake collectors.
import {
  asError,
  recordPostsTo,
  startFakeCollectorServer,
  type CollectorBehaviour,
  type ReceivedRequest,
} from './fakeCollectorServer';

export type ZipkinCollectorBehaviour = Exclude<CollectorBehaviour, 'slow'>;

/** A span of the Zipkin v2 model, as received. */
export interface ZipkinReceivedSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp: number; // epoch microseconds
  duration: number; // microseconds
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
  debug?: boolean;
}

export interface FakeZipkinCollector {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** http://127.0.0.1:<port>/api/v2/spans */
  url: string;
  /** http://127.0.0.1:<port>/adapt_<token>/api/v2/spans (also accepted) */
  urlWithToken(token: string): string;
  spans: ZipkinReceivedSpan[];
  requests: ReceivedRequest[];
  decodeErrors: Error[];
  setBehaviour(b: ZipkinCollectorBehaviour): void;
  /** Connections the client holds open now, once those it has closed are noticed (waits a bounded while). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

const SPANS_PATH = /^\/(?:adapt_[^/]+\/)?api\/v2\/spans$/;
const BAD_BODY_TEXT = 'bad body';

export async function startFakeZipkinCollector(
  options: { behaviour?: ZipkinCollectorBehaviour } = {},
): Promise<FakeZipkinCollector> {
  const spans: ZipkinReceivedSpan[] = [];
  const requests: FakeZipkinCollector['requests'] = [];
  const decodeErrors: Error[] = [];

  const server = await startFakeCollectorServer({
    ...options,
    status400Text: BAD_BODY_TEXT,
    receive: recordPostsTo(SPANS_PATH, requests),
    accept(_req, body, res) {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (!Array.isArray(parsed)) throw new Error('Zipkin v2 body is not a JSON array');
        spans.push(...(parsed as ZipkinReceivedSpan[]));
      } catch (err) {
        decodeErrors.push(asError(err));
        res.writeHead(400).end(BAD_BODY_TEXT);
        return;
      }
      res.writeHead(202).end();
    },
  });
  const base = server.baseUrl;
  return {
    baseUrl: base,
    url: `${base}/api/v2/spans`,
    urlWithToken: (token) => `${base}/adapt_${token}/api/v2/spans`,
    spans,
    requests,
    decodeErrors,
    setBehaviour: (b) => server.setBehaviour(b),
    openConnections: () => server.openConnections(),
    close: () => server.close(),
  };
}
