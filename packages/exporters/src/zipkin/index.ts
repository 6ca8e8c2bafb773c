// `@tracery/exporters/zipkin`: the Zipkin v2 exporter alone, without the other exporter kinds.
export { ZipkinExporter, DEFAULT_ZIPKIN_URL } from './ZipkinExporter';
export type { ZipkinExporterConfig } from '../types';
// The span processor to drive it with, so that a program using this entry alone needs nothing of the main one.
export { ExportPipeline } from '@tracery/commons';
export type { ExportPipelineOptions, ExportStats, FlushResult } from '@tracery/commons';
