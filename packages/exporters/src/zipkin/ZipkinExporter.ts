import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HttpSender, integerSetting, redactUrl } from '@tracery/commons';
import { DEFAULT_EXPORT_TIMEOUT_MS, PayloadExporter, type EncodedPayloads } from '../export/PayloadExporter';
import { exportersReporter } from '../export/reporter';
import type { ZipkinExporterConfig } from '../types';
import { toZipkinSpan } from './toZipkinSpan';

/** Default Zipkin v2 spans URL (a Zipkin server on this machine). */
export const DEFAULT_ZIPKIN_URL = 'http://localhost:9411/api/v2/spans';
const SPANS_PATH = '/api/v2/spans';

/** The spans endpoint for `url`: a server's base address (no path) gets Zipkin's `/api/v2/spans` appended. */
export function zipkinSpansUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = SPANS_PATH;
  return parsed.href;
}

/**
 * Exports spans to a Zipkin server (or Jaeger's Zipkin receiver) as Zipkin v2 JSON (`POST /api/v2/spans`), one
 * request per export, through Tracery's bounded HTTP exchange: it answers within `timeoutMs` whatever the server
 * does, only 2xx is success, redirects are not followed, the answer is read up to 64 KiB.
 */
export class ZipkinExporter extends PayloadExporter {
  readonly description: string;
  private readonly sender: HttpSender;

  constructor(config: ZipkinExporterConfig) {
    super(
      integerSetting(
        exportersReporter,
        { option: 'zipkin.timeoutMs', min: 1, max: 2_147_483_647, fallback: DEFAULT_EXPORT_TIMEOUT_MS },
        config.timeoutMs,
      ),
    );
    const url = zipkinSpansUrl(config.url ?? DEFAULT_ZIPKIN_URL);
    const headers = { ...(config.headers ?? {}), 'Content-Type': 'application/json' };
    this.sender = new HttpSender({ url, headers, secrets: Object.values(config.headers ?? {}) });
    this.description = `zipkin to ${redactUrl(url)}`;
  }

  protected close(): void {
    this.sender.close();
  }

  protected sizeLimit(): string {
    return 'the request size';
  }

  protected encode(spans: ReadableSpan[]): EncodedPayloads {
    const encoded: string[] = [];
    let failedSpans = 0;
    for (const span of spans) {
      try {
        encoded.push(JSON.stringify(toZipkinSpan(span)));
      } catch {
        failedSpans++;
      }
    }
    const payloads =
      encoded.length === 0
        ? []
        : [{ bytes: Buffer.from(`[${encoded.join(',')}]`), spanCount: encoded.length }];
    return { payloads, droppedSpans: 0, failedSpans };
  }

  protected async send(body: Uint8Array, deadline: number): Promise<void> {
    await this.sender.post(body, deadline);
  }
}
