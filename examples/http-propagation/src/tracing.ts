import { TracerService, type PropagationFormat } from '@tracery/core';
import { exporterFromEnv } from '@tracery/exporters';

export const FORMATS: readonly PropagationFormat[] = ['w3c', 'jaeger', 'b3', 'b3single'];

export function parseFormat(value: string | undefined): PropagationFormat {
  const format = FORMATS.find((candidate) => candidate === value);
  if (!format)
    throw new Error(`unknown propagation format ${JSON.stringify(value)}; use one of ${FORMATS.join(', ')}`);
  return format;
}

/**
 * One tracer per process. Spans go where the OpenTelemetry variables say (`OTEL_TRACES_EXPORTER`,
 * `OTEL_EXPORTER_JAEGER_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`, ...); this example defaults to the console.
 */
export function createTracer(serviceName: string, format: PropagationFormat): TracerService {
  const env = { ...process.env, OTEL_TRACES_EXPORTER: process.env.OTEL_TRACES_EXPORTER ?? 'console' };
  return new TracerService({ serviceName, exporter: exporterFromEnv(env), propagation: format });
}
