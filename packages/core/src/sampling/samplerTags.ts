import { isSpanContextValid, trace, type Attributes, type Context } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/** Jaeger's tag naming the sampler that sampled a trace, on the trace's first span. */
export const SAMPLER_TYPE_TAG = 'sampler.type';
/** Jaeger's tag with that sampler's parameter (ratio, traces per second, or `true` for const). */
export const SAMPLER_PARAM_TAG = 'sampler.param';

/**
 * Wraps `sampler` so that each NEW trace it samples carries Jaeger's `sampler.type` and `sampler.param`
 * attributes on its first span, as Jaeger clients tag it (Jaeger's adaptive sampling reads them to learn
 * the rate a trace was sampled at). Spans with a parent, and unsampled spans, get nothing added; the
 * decision itself is the wrapped sampler's.
 *
 * @example
 * withSamplerTags(new TraceIdRatioBasedSampler(0.1), 'probabilistic', 0.1);
 */
export function withSamplerTags(sampler: Sampler, type: string, param: number | boolean): Sampler {
  return new TaggingSampler(sampler, { [SAMPLER_TYPE_TAG]: type, [SAMPLER_PARAM_TAG]: param });
}

class TaggingSampler implements Sampler {
  private readonly sampled: SamplingResult;

  constructor(
    private readonly sampler: Sampler,
    private readonly tags: Attributes,
  ) {
    this.sampled = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: tags });
  }

  shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
    const result = this.sampler.shouldSample(...args);
    if (result.decision !== SamplingDecision.RECORD_AND_SAMPLED || hasParent(args[0])) return result;
    if (result.attributes === undefined && result.traceState === undefined) return this.sampled;
    return { ...result, attributes: { ...result.attributes, ...this.tags } };
  }

  toString(): string {
    return this.sampler.toString();
  }
}

function hasParent(context: Context): boolean {
  const parent = trace.getSpanContext(context);
  return parent !== undefined && isSpanContextValid(parent);
}
