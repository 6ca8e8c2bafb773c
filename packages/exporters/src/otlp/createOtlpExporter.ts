import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { GuardedSpanExporter } from '../export/GuardedSpanExporter';
import { redactUrl } from '../redaction/redactUrl';
import type { OtlpExporterConfig } from '../types';
import { withoutMalformedEndpointVariables } from './withoutMalformedEndpointVariables';

/** Default OTLP/HTTP traces URL (an OpenTelemetry Collector on this machine). */
export const DEFAULT_OTLP_URL = 'http://localhost:4318/v1/traces';
/** Default time budget of one export, in milliseconds (the OpenTelemetry default). */
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

type OtlpModule = typeof import('@opentelemetry/exporter-trace-otlp-proto');
type OtlpOptions = NonNullable<ConstructorParameters<OtlpModule['OTLPTraceExporter']>[0]>;

/**
 * Builds the OTLP exporter for a validated config. Only the module of the chosen protocol is loaded:
 * `-otlp-proto` for `http/protobuf`, `-otlp-http` for `http/json`.
 */
export function createOtlpExporter(config: OtlpExporterConfig): SpanExporter {
  const protocol = config.protocol ?? 'http/protobuf';
  const url = config.url ?? DEFAULT_OTLP_URL;
  const timeoutMs = config.timeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;
  const headers = config.headers ?? {};
  const { OTLPTraceExporter } = (
    protocol === 'http/json'
      ? require('@opentelemetry/exporter-trace-otlp-http')
      : require('@opentelemetry/exporter-trace-otlp-proto')
  ) as OtlpModule;
  const description = `otlp ${protocol} to ${redactUrl(url)}`;
  // The OTLP exporter's own header validation would log an invalid header's value; ours ran first. Its
  // warning about a malformed endpoint variable would log the whole URL: those variables are kept from it.
  const inner = withoutMalformedEndpointVariables(
    () =>
      new OTLPTraceExporter({
        url,
        headers,
        timeoutMillis: timeoutMs,
        compression: (config.compression ?? 'none') as OtlpOptions['compression'],
      }),
    redactUrl(url),
  );
  return new GuardedSpanExporter(inner, {
    description,
    timeoutMs,
    secrets: Object.values(headers),
  });
}
