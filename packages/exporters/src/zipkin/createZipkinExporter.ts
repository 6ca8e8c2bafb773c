import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { GuardedSpanExporter } from '../export/GuardedSpanExporter';
import { redactUrl } from '../redaction/redactUrl';
import type { ZipkinExporterConfig } from '../types';

/** Default Zipkin v2 spans URL (a Zipkin server on this machine). */
export const DEFAULT_ZIPKIN_URL = 'http://localhost:9411/api/v2/spans';
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

/**
 * Builds the Zipkin exporter for a validated config. `@opentelemetry/exporter-zipkin` has no request
 * timeout of its own: the guard answers FAILED after `timeoutMs` and caps the exports left waiting.
 */
export function createZipkinExporter(config: ZipkinExporterConfig): SpanExporter {
  const url = config.url ?? DEFAULT_ZIPKIN_URL;
  const headers = config.headers ?? {};
  const { ZipkinExporter } =
    require('@opentelemetry/exporter-zipkin') as typeof import('@opentelemetry/exporter-zipkin');
  return new GuardedSpanExporter(new ZipkinExporter({ url, headers }), {
    description: `zipkin to ${redactUrl(url)}`,
    timeoutMs: config.timeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS,
    secrets: Object.values(headers),
  });
}
