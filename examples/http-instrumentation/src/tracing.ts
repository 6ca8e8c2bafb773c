import type { PropagationFormat } from '@tracery/core';
import { exporterFromEnv } from '@tracery/exporters';

export const FORMATS: readonly PropagationFormat[] = ['w3c', 'jaeger', 'b3', 'b3single'];

export function parseFormat(value: string | undefined): PropagationFormat {
  const format = FORMATS.find((candidate) => candidate === value);
  if (!format)
    throw new Error(`unknown propagation format ${JSON.stringify(value)}; use one of ${FORMATS.join(', ')}`);
  return format;
}

/** Where each process sends its spans: OpenTelemetry's variables (`OTEL_TRACES_EXPORTER`, ...), else the console. */
export function exporter() {
  return exporterFromEnv({
    ...process.env,
    OTEL_TRACES_EXPORTER: process.env.OTEL_TRACES_EXPORTER ?? 'console',
  });
}
