// `@tracery/exporters/jaeger`: the Jaeger exporters alone. A program (or a bundle) importing this entry, and not
// the package's main one, loads no other exporter kind: no OTLP, Zipkin or console code.
export { JaegerHttpExporter, DEFAULT_JAEGER_ENDPOINT } from './JaegerHttpExporter';
export { JaegerAgentExporter } from './JaegerAgentExporter';
export type { JaegerExporterConfig } from './types';
// The span processor to drive it with, so that a program using this entry alone needs nothing of the main one.
export { ExportPipeline } from '@tracery/commons';
export type { ExportPipelineOptions, ExportStats, FlushResult } from '@tracery/commons';
