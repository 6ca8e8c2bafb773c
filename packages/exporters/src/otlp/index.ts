// `@tracery/exporters/otlp`: the OTLP/HTTP exporter alone, without the other exporter kinds.
export { OtlpHttpExporter, DEFAULT_OTLP_URL } from './OtlpHttpExporter';
export type { OtlpCompression, OtlpExporterConfig, OtlpProtocol } from '../types';
// The span processor to drive it with, so that a program using this entry alone needs nothing of the main one.
export { ExportPipeline } from '@tracery/commons';
export type { ExportPipelineOptions, ExportStats, FlushResult } from '@tracery/commons';
