import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpExporterConfig } from '../types';
import { OtlpHttpExporter } from './OtlpHttpExporter';

export { DEFAULT_OTLP_URL } from './OtlpHttpExporter';

/** Builds the OTLP/HTTP exporter for a validated config. */
export function createOtlpExporter(config: OtlpExporterConfig): SpanExporter {
  return new OtlpHttpExporter(config);
}
