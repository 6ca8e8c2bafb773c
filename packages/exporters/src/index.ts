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
export type { EncodeJaegerBatchOptions } from './jaeger/encodeBatch';
export type { JaegerBatch, JaegerSpan, JaegerTag, JaegerLog, JaegerSpanRef } from './jaeger/types';
// The exporter classes are built by `createExporter` (which loads each only when chosen): exported as types,
// so importing the package does not load them.
export type { ConsoleWaterfallExporter } from './console/ConsoleWaterfallExporter';
export type { MemorySpanExporter } from './memory/MemorySpanExporter';
export type { FanOutSpanExporter } from './fanout/FanOutSpanExporter';
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
