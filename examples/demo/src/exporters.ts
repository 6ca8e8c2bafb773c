import { createExporter, exporterFromEnv } from '@tracery/exporters';

type SpanExporter = ReturnType<typeof createExporter>;

/**
 * Where every process of the demo sends its spans: the collector embedded in the demo and, when
 * `OTEL_TRACES_EXPORTER` is set, also where OpenTelemetry's variables say (a real Jaeger, an OpenTelemetry
 * Collector, Alibaba Cloud Tracing Analysis): see the README.
 */
export function demoExporters(collectorUrl: string, env: NodeJS.ProcessEnv = process.env): SpanExporter[] {
  const local = createExporter({ kind: 'jaeger', endpoint: collectorUrl });
  return env.OTEL_TRACES_EXPORTER ? [local, exporterFromEnv(env)] : [local];
}
