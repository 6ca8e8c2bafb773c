import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ZipkinExporterConfig } from '../types';
import { ZipkinExporter } from './ZipkinExporter';

export { DEFAULT_ZIPKIN_URL } from './ZipkinExporter';

/** Builds the Zipkin v2 exporter for a validated config. */
export function createZipkinExporter(config: ZipkinExporterConfig): SpanExporter {
  return new ZipkinExporter(config);
}
