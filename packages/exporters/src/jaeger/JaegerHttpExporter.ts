import type * as http from 'node:http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HttpSender, integerSetting, redactUrl } from '@tracery/commons';
import { DEFAULT_EXPORT_TIMEOUT_MS, PayloadExporter, type EncodedPayloads } from '../export/PayloadExporter';
import { exportersReporter } from '../export/reporter';
import { encodeJaegerBatches } from './encodeBatch';
import type { JaegerExporterConfig } from './types';

/** Default collector URL (Jaeger's own collector, Thrift over HTTP). */
export const DEFAULT_JAEGER_ENDPOINT = 'http://localhost:14268/api/traces';
/** Default time budget of one export (connecting and answering of all its requests), in milliseconds. */
export const DEFAULT_JAEGER_TIMEOUT_MS = DEFAULT_EXPORT_TIMEOUT_MS;
/** Default largest request body: 1 MiB. */
export const DEFAULT_JAEGER_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Exports spans to a Jaeger collector over HTTP: `POST` of Thrift binary `Batch`es (one per resource, split to
 * stay under `maxPayloadBytes`), `Content-Type: application/x-thrift`, keep-alive connections, optional basic
 * auth. Each export answers within `timeoutMs` whatever the collector does, never throws, and its failures carry
 * no secret of the URL (the `adapt_<token>` path segment, passwords, query values) or of the headers. Meant to be
 * driven by the export pipeline (`ExportPipeline`), which bounds the exports in flight and reports outages.
 *
 * @example
 * const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: 'http://jaeger:14268/api/traces' });
 */
export class JaegerHttpExporter extends PayloadExporter {
  readonly description: string;
  private readonly sender: HttpSender;
  private readonly maxPayloadBytes: number;

  /** Throws a TypeError (naming no secret) when `endpoint` is not an http(s) URL: a start-up mistake. */
  constructor(config: JaegerExporterConfig = { kind: 'jaeger' }) {
    super(
      integerSetting(
        exportersReporter,
        { option: 'jaeger.timeoutMs', min: 1, max: 2_147_483_647, fallback: DEFAULT_JAEGER_TIMEOUT_MS },
        config.timeoutMs,
      ),
    );
    const endpoint = config.endpoint ?? DEFAULT_JAEGER_ENDPOINT;
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new TypeError(`Jaeger endpoint is not a valid URL: ${redactUrl(endpoint)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`Jaeger endpoint must be http: or https:, got ${url.protocol}`);
    }
    this.maxPayloadBytes = integerSetting(
      exportersReporter,
      {
        option: 'jaeger.maxPayloadBytes',
        min: 1024,
        max: 2 ** 30,
        fallback: DEFAULT_JAEGER_MAX_PAYLOAD_BYTES,
      },
      config.maxPayloadBytes,
    );

    const username = config.username ?? safeDecode(url.username);
    const password = config.password ?? safeDecode(url.password);
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/x-thrift' };
    const secrets: string[] = [];
    if (username || password) {
      const credentials = Buffer.from(`${username}:${password}`).toString('base64');
      headers.Authorization = `Basic ${credentials}`;
      secrets.push(credentials, password, username);
    }
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      headers[name] = value;
      secrets.push(String(value));
    }
    const token = /\/adapt_([^/?#]+)/.exec(url.pathname)?.[1];
    if (token) secrets.push(token, safeDecode(token));
    for (const value of url.searchParams.values()) secrets.push(value);
    // The credentials travel in the Authorization header, not in the URL the request is sent to.
    url.username = '';
    url.password = '';
    this.sender = new HttpSender({ url: url.href, headers, secrets });
    this.description = `jaeger http to ${redactUrl(endpoint)}`;
  }

  protected close(): void {
    this.sender.close();
  }

  protected sizeLimit(): string {
    return `maxPayloadBytes (${this.maxPayloadBytes})`;
  }

  protected encode(spans: ReadableSpan[]): EncodedPayloads {
    return encodeJaegerBatches(spans, this.maxPayloadBytes);
  }

  protected async send(body: Uint8Array, deadline: number): Promise<void> {
    await this.sender.post(body, deadline);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
