import type * as http from 'node:http';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { exportFailed } from '../export/exportResults';
import { redactText } from '../redaction/redactText';
import { redactUrl } from '../redaction/redactUrl';
import { encodeJaegerBatches } from './encodeBatch';
import type { EncodedBatches } from './encodeBatches';
import { JaegerExporterBase, positiveInteger } from './JaegerExporterBase';
import type { JaegerExporterConfig } from './types';

/** Default collector URL (Jaeger's own collector, Thrift over HTTP). */
export const DEFAULT_JAEGER_ENDPOINT = 'http://localhost:14268/api/traces';
/** Default time budget of one export (connecting and answering of all its requests), in milliseconds. */
export const DEFAULT_JAEGER_TIMEOUT_MS = 10_000;
/** Default largest request body: 1 MiB. */
export const DEFAULT_JAEGER_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Exports waiting for the collector at once; beyond it an export fails at once (nothing queues). */
export const MAX_JAEGER_EXPORTS_IN_FLIGHT = 4;
/** Bytes of a collector answer read (and thrown away) before the connection is dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** A failed request: `kind` groups faults for reporting once, `reason` is safe to show. */
class SendFailure extends Error {
  constructor(
    readonly kind: string,
    readonly reason: string,
  ) {
    super(reason);
  }
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

function classify(err: unknown): SendFailure {
  const code = (err as { code?: unknown } | null)?.code;
  const name = typeof code === 'string' ? code : '';
  if (CONNECT_ERRORS.has(name)) return new SendFailure('connect', `cannot connect (${name})`);
  if (name === 'ECONNRESET' || name === 'EPIPE')
    return new SendFailure('reset', `connection reset (${name})`);
  if (name.startsWith('HPE_')) return new SendFailure('protocol', `answer is not HTTP (${name})`);
  const message = err instanceof Error ? err.message : String(err);
  return new SendFailure('request', name ? `${message} (${name})` : message);
}

/**
 * Exports spans to a Jaeger collector over HTTP: `POST` of Thrift binary `Batch`es (one per resource, split to
 * stay under `maxPayloadBytes`), `Content-Type: application/x-thrift`, keep-alive connections, optional basic
 * auth. Whatever the collector does, `export` answers within `timeoutMs`, never throws, keeps at
 * most 4 exports in flight (more fail at once and their spans are dropped) and reports each kind of fault once
 * through `diag`, with the URL's secrets (the `adapt_<token>` path segment, passwords, query values) redacted.
 *
 * @example
 * const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: 'http://jaeger:14268/api/traces' });
 */
export class JaegerHttpExporter extends JaegerExporterBase {
  private readonly requestOptions: http.RequestOptions;
  private readonly transport: { request: typeof http.request };
  private readonly agent: http.Agent;
  private readonly endpointForLogs: string;
  private readonly secrets: string[];
  protected readonly timeoutMs: number;
  private readonly maxPayloadBytes: number;

  /** Throws a TypeError (naming no secret) when `endpoint` is not an http(s) URL: a start-up mistake. */
  constructor(config: JaegerExporterConfig = { kind: 'jaeger' }) {
    super('@tracery/exporters Jaeger HTTP exporter', MAX_JAEGER_EXPORTS_IN_FLIGHT);
    const endpoint = config.endpoint ?? DEFAULT_JAEGER_ENDPOINT;
    this.endpointForLogs = redactUrl(endpoint);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new TypeError(`Jaeger endpoint is not a valid URL: ${this.endpointForLogs}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`Jaeger endpoint must be http: or https:, got ${url.protocol}`);
    }
    this.timeoutMs = positiveInteger(config.timeoutMs, DEFAULT_JAEGER_TIMEOUT_MS);
    this.maxPayloadBytes = positiveInteger(config.maxPayloadBytes, DEFAULT_JAEGER_MAX_PAYLOAD_BYTES);

    const username = config.username ?? decodeURIComponent(url.username);
    const password = config.password ?? decodeURIComponent(url.password);
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/x-thrift' };
    this.secrets = [];
    if (username || password) {
      const credentials = Buffer.from(`${username}:${password}`).toString('base64');
      headers.Authorization = `Basic ${credentials}`;
      this.secrets.push(credentials, password, username);
    }
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      headers[name] = value;
      this.secrets.push(String(value));
    }
    const token = /\/adapt_([^/?#]+)/.exec(url.pathname)?.[1];
    if (token) this.secrets.push(token, decodeURIComponent(token));
    for (const value of url.searchParams.values()) this.secrets.push(value);

    // `https` (and TLS) is loaded only for an https endpoint: it costs a cold start 15-35 ms here.
    const transport = (
      url.protocol === 'https:' ? require('node:https') : require('node:http')
    ) as typeof http;
    this.transport = transport;
    this.agent = new transport.Agent({ keepAlive: true, maxSockets: MAX_JAEGER_EXPORTS_IN_FLIGHT });
    this.requestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: url.pathname + url.search,
      method: 'POST',
      agent: this.agent,
      headers,
    };
  }

  /** Closes the keep-alive connections (after the exports in flight). */
  protected async close(): Promise<void> {
    this.agent.destroy();
  }

  protected sizeLimit(): string {
    return `maxPayloadBytes (${this.maxPayloadBytes})`;
  }

  protected encode(spans: ReadableSpan[]): EncodedBatches {
    return encodeJaegerBatches(spans, this.maxPayloadBytes);
  }

  protected overloaded(): ExportResult {
    const reason = `${MAX_JAEGER_EXPORTS_IN_FLIGHT} exports already waiting for the collector; spans dropped`;
    this.faults.report('overload', `export to ${this.endpointForLogs}: ${reason}`);
    return exportFailed(new Error(`Jaeger export to ${this.endpointForLogs} failed: ${reason}`));
  }

  protected failed(err: unknown): ExportResult {
    const failure = err instanceof SendFailure ? err : classify(err);
    const message = redactText(
      `Jaeger export to ${this.endpointForLogs} failed: ${failure.reason}`,
      this.secrets,
    );
    this.faults.report(failure.kind, `${message} (spans dropped; reported once until an export succeeds)`);
    return exportFailed(new Error(message));
  }

  protected send(body: Buffer, deadline: number, isRetry = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const settle = (failure?: SendFailure): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (failure) reject(failure);
        else resolve();
      };
      const timer = setTimeout(
        () => {
          settle(new SendFailure('timeout', `no answer within ${this.timeoutMs} ms`));
          req?.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      try {
        req = this.transport.request({
          ...this.requestOptions,
          headers: { ...this.requestOptions.headers, 'Content-Length': body.length },
        });
      } catch (err) {
        // e.g. a header value with a newline: Node refuses to build the request.
        settle(
          new SendFailure('request', `request not sent (${(err as { code?: string }).code ?? 'invalid'})`),
        );
        return;
      }
      const sent = req;
      sent.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) settle();
        else
          settle(
            new SendFailure(status >= 500 ? 'http-5xx' : 'http-4xx', `collector answered HTTP ${status}`),
          );
        // Drain (capped) so a keep-alive connection can be reused; the answer itself is not needed.
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('error', () => undefined);
      });
      sent.on('error', (err) => {
        if (settled) return;
        // A keep-alive connection the collector closed meanwhile: one fresh attempt.
        const code = (err as { code?: string }).code;
        if (!isRetry && sent.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
          settled = true;
          clearTimeout(timer);
          this.send(body, deadline, true).then(resolve, reject);
          return;
        }
        settle(classify(err));
      });
      sent.end(body);
    });
  }
}
