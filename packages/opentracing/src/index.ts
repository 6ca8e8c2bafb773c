export { initTracer } from './config/initTracer';
export { initTracerFromEnv, jaegerEnvConfig } from './config/initTracerFromEnv';
export { withSpan } from './context/withSpan';
export { OpenTracingTracer } from './tracer/OpenTracingTracer';
export type { OpenTracingTracerOptions } from './tracer/OpenTracingTracer';
export { OpenTracingSpan } from './tracer/OpenTracingSpan';
export { OpenTracingSpanContext } from './tracer/OpenTracingSpanContext';
export type {
  JaegerConfig,
  JaegerLogger,
  JaegerOptions,
  JaegerReporterConfig,
  JaegerSamplerConfig,
} from './config/types';
