import {
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { isDebug, isDeferredParent, rootSamplingState } from '../propagation/samplingSignals';

/**
 * Core's samplers with the caller's sampling signals honoured (see `propagation/samplingSignals.ts`): a debug
 * trace is sampled whatever `sampler` says; a span whose parent is a remote span that deferred the decision
 * (B3 without a sampling state) is decided by `root`, as a new trace would be; a span without a parent follows a
 * state sent alone (`b3: 0` deny, `b3: 1` accept). Everything else is `sampler`'s decision.
 */
export class SignalAwareSampler implements Sampler {
  constructor(
    private readonly sampler: Sampler,
    private readonly root: Sampler,
  ) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (isDebug(context, traceId)) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    const parent = trace.getSpanContext(context);
    if (parent === undefined || !isSpanContextValid(parent)) {
      const state = rootSamplingState(context);
      if (state === 'deny') return { decision: SamplingDecision.NOT_RECORD };
      if (state === 'accept') return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    } else if (isDeferredParent(context, parent)) {
      return this.root.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    }
    return this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return this.sampler.toString();
  }
}
