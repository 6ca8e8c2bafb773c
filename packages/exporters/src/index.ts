export { createExporter } from './createExporter';
export { exporterFromEnv } from './config/exporterFromEnv';
export { selectExporter } from './config/selectExporter';
export { tracingAnalysis } from './config/tracingAnalysis';
export { ExporterConfigError } from './config/ExporterConfigError';
export { redactUrl } from './redaction/redactUrl';
export { renderWaterfall } from './console/renderWaterfall';
export type { WaterfallSpan, WaterfallOptions } from './console/renderWaterfall';
export { toWaterfallSpan } from './console/toWaterfallSpan';
export { ConsoleWaterfallExporter } from './console/ConsoleWaterfallExporter';
export { MemorySpanExporter } from './memory/MemorySpanExporter';
export { FanOutSpanExporter } from './fanout/FanOutSpanExporter';
export type {
  ConsoleExporterConfig,
  ExporterConfig,
  ExporterKind,
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
