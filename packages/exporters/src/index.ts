export { createExporter } from './createExporter';
export { exporterFromEnv } from './config/exporterFromEnv';
export { selectExporter } from './config/selectExporter';
export { tracingAnalysis } from './config/tracingAnalysis';
export { ExporterConfigError } from './config/ExporterConfigError';
export { redactUrl, ExportPipeline } from '@tracery/commons';
export type { ExportPipelineOptions, ExportStats, FlushResult } from '@tracery/commons';
export { renderWaterfall } from './console/renderWaterfall';
export type { WaterfallSpan, WaterfallOptions } from './console/renderWaterfall';
export { toWaterfallSpan } from './console/toWaterfallSpan';
export { encodeJaegerBatch, decodeJaegerBatch } from './jaegerCodec';
export type {
  EncodeJaegerBatchOptions,
  JaegerBatch,
  JaegerSpan,
  JaegerTag,
  JaegerLog,
  JaegerSpanRef,
} from './jaeger/types';
// The exporter classes, as values and types; each module is loaded when its class is first used, not here.
export {
  ConsoleWaterfallExporter,
  FanOutSpanExporter,
  JaegerAgentExporter,
  JaegerHttpExporter,
  MemorySpanExporter,
  NoneSpanExporter,
  OtlpHttpExporter,
  ZipkinExporter,
} from './exporterClasses';
export type {
  ConsoleExporterConfig,
  ExporterConfig,
  ExporterKind,
  ExporterProfile,
  ExporterProfiles,
  JaegerExporterConfig,
  MemoryExporterConfig,
  NoneExporterConfig,
  OtlpCompression,
  OtlpExporterConfig,
  OtlpProtocol,
  TracingAnalysisOptions,
  ZipkinExporterConfig,
} from './types';
