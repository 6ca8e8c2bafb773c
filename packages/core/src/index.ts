export { Traced, RESULT_ATTRIBUTE } from './decorators/traced';
export type { TracedDecorator } from './decorators/traced';
export { Untraced } from './decorators/untraced';
export type { UntracedDecorator } from './decorators/untraced';
export { SpanTag } from './decorators/spanTag';
export { SpanLink } from './decorators/spanLink';
export { MAX_LINKS_PER_SPAN } from './links/linksOf';
export { GENERATOR_ITEMS_ATTRIBUTE, GENERATOR_ABANDONED_ATTRIBUTE } from './span/tracedIteration';
export { SPAN_NAME_CARDINALITY_LIMIT } from './diagnostics/spanNameGuard';
export { EXCLUDE_ENV } from './environment/excludedMethods';
export { TracerService } from './service/TracerService';
export type { StartSpanOptions, WithSpanOptions } from './service/TracerService';
export type { SpanParent } from './service/spanParent';
// tracingModule and the injectable TracerService: `@tracery/core/inversify` (this entry loads no inversify).
export { TRACING_OPTIONS, TRACER_PROVIDER } from './inversify/tokens';
export { createTracerProvider } from './provider/createTracerProvider';
export { ExportPipeline } from '@tracery/commons';
export type { ExportPipelineOptions, ExportStats, FlushResult } from '@tracery/commons';
export { createSampler } from './sampling/createSampler';
export { RateLimitingSampler } from './sampling/RateLimitingSampler';
export { JaegerRemoteSampler } from './sampling/JaegerRemoteSampler';
export type { JaegerRemoteSamplerOptions } from './sampling/JaegerRemoteSampler';
export type { SamplerDefaults } from './sampling/createSampler';
export { withSamplerTags, SAMPLER_TYPE_TAG, SAMPLER_PARAM_TAG } from './sampling/samplerTags';
export { createPropagator } from './propagation/createPropagator';
export { headerGetter, headerSetter } from './propagation/headerCarrier';
export { JaegerPropagator } from './propagation/JaegerPropagator';
export { extractTraceHeaders } from './propagation/extractTraceHeaders';
export {
  isDebug,
  markSpanDebug,
  samplingSignalsOf,
  signalsOfSpan,
  withDebug,
  withNotSampled,
  withSamplingSignals,
} from './propagation/samplingSignals';
export type { SamplingSignals, SamplingState } from './propagation/samplingSignals';
export { parseJaegerSpanContext, formatJaegerSpanContext } from './propagation/jaegerSpanContext';
export {
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  attributeValueLengthLimit,
  normalizeAttributeValue,
} from './attributes/normalizeAttributeValue';
export type { TracedOptions, TracingOptions, SamplerConfig, PropagationFormat, LinkTarget } from './types';
