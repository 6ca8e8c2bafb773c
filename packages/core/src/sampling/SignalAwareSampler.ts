import {
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { JAEGER_DEBUG_ID_HEADER } from '../propagation/jaegerSpanContext';
import {
  isDebug,
  isDeferredParent,
  rootDebugId,
  rootSamplingState,
  samplingSignalsOf,
} from '../propagation/samplingSignals';

/** The tag of the root span of a trace a `jaeger-debug-id` request started, as Jaeger's clients set it. */
const JAEGER_DEBUG_ID_TAG = JAEGER_DEBUG_ID_HEADER;

/**
 * Core's samplers with the caller's sampling signals honoured (see `propagation/samplingSignals.ts`): a debug
 * trace is sampled whatever `sampler` says (a root started by `jaeger-debug-id` tagged with it); a span whose parent is a remote span that deferred the decision
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
    // Most spans carry no signal: one context look-up, and the sampler decides.
    if (samplingSignalsOf(context) === undefined) {
      return this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    }
    if (isDebug(context, traceId)) return this.debug(context, traceId, spanName, spanKind, attributes, links);
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

  /**
   * A debug trace is sampled, but `sampler` is asked first, as Jaeger's clients ask theirs: when it samples too,
   * its result stands (with its `sampler.type`/`sampler.param` tags on a new trace); a rate limiter spends its
   * credit either way. A root started under `jaeger-debug-id` is tagged with it, so the trace can be found by it.
   */
  private debug(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    const sampled: SamplingResult =
      result.decision === SamplingDecision.RECORD_AND_SAMPLED
        ? result
        : { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: result.traceState };
    const debugId = rootDebugId(context);
    if (debugId === undefined || hasParent(context)) return sampled;
    return { ...sampled, attributes: { ...sampled.attributes, [JAEGER_DEBUG_ID_TAG]: debugId } };
  }

  toString(): string {
    return this.sampler.toString();
  }
}

function hasParent(context: Context): boolean {
  const parent = trace.getSpanContext(context);
  return parent !== undefined && isSpanContextValid(parent);
}
