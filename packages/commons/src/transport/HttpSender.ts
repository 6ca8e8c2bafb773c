import type * as http from 'node:http';
import { redactText } from '../redaction/redactText';
import { redactUrl } from '../redaction/redactUrl';
import { SecretMask } from '../redaction/SecretMask';

/**
 * Bytes of an answer read at most, unless the sender is given another bound; beyond it the connection is dropped and
 * the rest never read.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** Connections to one collector at most, answered ones still reading their body included. */
const MAX_SOCKETS = 256;

/** Why one request failed: `kind` groups faults (`connect`, `timeout`, `http-5xx`, ...), `reason` is safe to log. */
export class SendFailure extends Error {
  constructor(
    readonly kind: string,
    readonly reason: string,
    /** The HTTP status of an answer that was not 2xx. */
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'SendFailure';
  }
}

/**
 * Request headers (Content-Type, authentication, the user's own), typed without Node's types: the packages' public
 * types need no `@types/node`.
 */
export type HttpHeaders = Readonly<Record<string, string | number | string[] | undefined>>;

/** A collector's answer: its status (always 2xx: anything else is a `SendFailure`) and, if asked for, its body. */
export interface HttpAnswer {
  status: number;
  /** The whole body, when `readBody` was asked for and it ended within `maxResponseBytes` and the deadline. */
  body?: Uint8Array;
  /** Why the body is not there although the answer was 2xx: longer than allowed, unfinished at the deadline, or cut. */
  cut?: 'size' | 'deadline' | 'connection';
}

export interface HttpSenderOptions {
  /** An http: or https: URL, already validated. */
  url: string;
  /** Headers of every request (Content-Type, authentication, the user's own). */
  headers: HttpHeaders;
  /** Values to mask in any reason given (tokens, passwords, header values). */
  secrets: readonly string[];
  /** Bytes of an answer read at most (default `MAX_RESPONSE_BYTES`). */
  maxResponseBytes?: number;
}

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/** Turns what Node's HTTP client raised into a `SendFailure` whose reason names the code, never a secret. */
function classify(err: unknown): SendFailure {
  const code = (err as { code?: unknown } | null)?.code;
  const name = typeof code === 'string' ? code : '';
  if (CONNECT_ERRORS.has(name)) return new SendFailure('connect', `cannot connect (${name})`);
  if (name === 'ECONNRESET' || name === 'EPIPE')
    return new SendFailure('reset', `connection reset (${name})`);
  if (name.startsWith('HPE_')) return new SendFailure('protocol', `the answer is not HTTP (${name})`);
  if (name.includes('CERT') || name.includes('SIGNED') || name.includes('ISSUER')) {
    return new SendFailure('tls', `the collector's TLS certificate is not trusted (${name})`);
  }
  if (name.startsWith('ERR_SSL') || name === 'EPROTO' || name.startsWith('ERR_TLS')) {
    return new SendFailure('tls', `TLS failed (${name})`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SendFailure('request', name ? `${message} (${name})` : message);
}

/**
 * Sends requests to one URL over HTTP(S) with keep-alive connections, each exchange bounded from connecting to the
 * last byte of the answer by the deadline it is given: the one bounded exchange of every Tracery package (the
 * exporters' POSTs to collectors, the remote sampler's GETs from an agent). What it guarantees, whatever the other
 * side does:
 * - `post` and `get` settle by the deadline: refused, reset, hanging, trickling or garbage answers all end there;
 * - only a 2xx status is success; 3xx (redirects are not followed), 4xx and 5xx are failures;
 * - at most `maxResponseBytes` of an answer are read: a longer (or endless) one drops its connection, as does
 *   one still unfinished at the deadline, so a connection is never held past the export's budget;
 * - a keep-alive connection the collector closed meanwhile gets one fresh attempt;
 * - reasons never carry a secret of the URL or the headers.
 */
export class HttpSender {
  /** The URL with its secrets masked, for messages. */
  readonly endpointForLogs: string;
  private readonly requestOptions: http.RequestOptions;
  private readonly transport: { request: typeof http.request };
  private readonly agent: http.Agent;
  private readonly secrets: SecretMask;
  private readonly maxResponseBytes: number;

  constructor(options: HttpSenderOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const url = new URL(options.url);
    this.endpointForLogs = redactUrl(options.url);
    this.secrets = new SecretMask(options.secrets);
    // `https` (and TLS) is loaded only for an https endpoint: it costs a cold start 15-35 ms.
    const transport = (
      url.protocol === 'https:' ? require('node:https') : require('node:http')
    ) as typeof http;
    this.transport = transport;
    this.agent = new transport.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: 8 });
    this.requestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: url.pathname + url.search,
      agent: this.agent,
      headers: options.headers,
    };
  }

  /**
   * POSTs `body` and resolves with the 2xx answer, or rejects with a `SendFailure`, by `deadline` (epoch ms).
   * With `readBody`, it settles once the answer's body has ended (bounded as above) and hands it over; without, it
   * settles at the status line and reads the rest only to keep the connection reusable.
   */
  post(
    body: Uint8Array,
    deadline: number,
    options: { headers?: HttpHeaders; readBody?: boolean } = {},
  ): Promise<HttpAnswer> {
    return this.attempt(body, deadline, options, false);
  }

  /** GETs the URL, its answer's body read (`post` with `readBody`, without a request body). */
  get(deadline: number, options: { headers?: HttpHeaders } = {}): Promise<HttpAnswer> {
    return this.attempt(undefined, deadline, { ...options, readBody: true }, false);
  }

  /** Closes every connection. */
  close(): void {
    this.agent.destroy();
  }

  private attempt(
    body: Uint8Array | undefined,
    deadline: number,
    options: { headers?: HttpHeaders; readBody?: boolean },
    isRetry: boolean,
  ): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const fail = (failure: SendFailure): void => {
        if (settled) return;
        settled = true;
        reject(new SendFailure(failure.kind, redactText(failure.reason, this.secrets, 300), failure.status));
      };
      const succeed = (answer: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        resolve(answer);
      };
      // One timer for the whole exchange: before the answer it fails the request, after it ends the connection.
      /** The 2xx status once the collector accepted; 0 before (or when it refused). */
      let acceptedStatus = 0;
      const timer = setTimeout(
        () => {
          // An accepted export stays accepted when the rest of the answer does not come in time.
          if (acceptedStatus) succeed({ status: acceptedStatus, cut: 'deadline' });
          else fail(new SendFailure('timeout', 'no answer in time (the export timeout)'));
          req?.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      timer.unref();
      try {
        req = this.transport.request({
          ...this.requestOptions,
          method: body === undefined ? 'GET' : 'POST',
          headers:
            body === undefined
              ? { ...this.requestOptions.headers, ...options.headers }
              : { ...this.requestOptions.headers, ...options.headers, 'Content-Length': body.byteLength },
        });
      } catch (err) {
        // e.g. a header value with a newline: Node refuses to build the request.
        clearTimeout(timer);
        const code = (err as { code?: unknown } | null)?.code;
        fail(new SendFailure('request', `request not sent (${typeof code === 'string' ? code : 'invalid'})`));
        return;
      }
      const sent = req;
      sent.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const failure =
          status >= 200 && status < 300
            ? undefined
            : new SendFailure(
                status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'http-other',
                status >= 300 && status < 400
                  ? `the collector answered HTTP ${status} (redirects are not followed)`
                  : `the collector answered HTTP ${status}`,
                status,
              );
        if (failure === undefined) acceptedStatus = status;
        if (failure) fail(failure);
        else if (!options.readBody) {
          succeed({ status });
          // Answered: the rest of the body must not keep the process alive (the timer still ends it).
          res.socket?.unref();
        }
        const chunks: Buffer[] | undefined = options.readBody && !failure ? [] : undefined;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.maxResponseBytes) {
            clearTimeout(timer);
            succeed({ status, cut: 'size' });
            sent.destroy();
            return;
          }
          chunks?.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          succeed({ status, body: chunks ? Buffer.concat(chunks) : undefined });
        });
        // A body cut by a reset or by us: the status already decided.
        res.on('error', () => undefined);
        res.on('close', () => {
          clearTimeout(timer);
          if (acceptedStatus) succeed({ status, cut: 'connection' });
        });
      });
      sent.on('error', (err) => {
        if (settled) return;
        if (acceptedStatus) {
          // The collector accepted the spans; only the rest of its answer was lost.
          clearTimeout(timer);
          succeed({ status: acceptedStatus, cut: 'connection' });
          return;
        }
        const code = (err as { code?: unknown }).code;
        if (!isRetry && sent.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
          // A keep-alive connection the collector closed meanwhile: one fresh attempt, same deadline.
          settled = true;
          clearTimeout(timer);
          this.attempt(body, deadline, options, true).then(resolve, reject);
          return;
        }
        clearTimeout(timer);
        fail(classify(err));
      });
      if (body === undefined) sent.end();
      else sent.end(body);
    });
  }
}
