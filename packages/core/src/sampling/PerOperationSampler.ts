import type { Context } from '@opentelemetry/api';
import {
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { RateLimitingSampler } from './RateLimitingSampler';
import { SAMPLER_PARAM_TAG, SAMPLER_TYPE_TAG } from './samplerTags';
import type { PerOperationStrategy } from './samplingStrategy';

const NOT_SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

function sampledWith(type: string, rate: number): SamplingResult {
  return Object.freeze({
    decision: SamplingDecision.RECORD_AND_SAMPLED,
    attributes: Object.freeze({ [SAMPLER_TYPE_TAG]: type, [SAMPLER_PARAM_TAG]: rate }),
  });
}

/**
 * One operation's sampler: samples `samplingRate` of its traces (by trace id), and at least `lowerBound`
 * traces per second whatever the rate (a trace sampled by the ratio also spends a credit, so the bound adds
 * only what the ratio did not give). Traces sampled by the bound are tagged `sampler.type=lowerbound`.
 */
class GuaranteedThroughput {
  private readonly ratio: TraceIdRatioBasedSampler;
  private readonly bound: RateLimitingSampler;
  private readonly byRatio: SamplingResult;
  private readonly byBound: SamplingResult;

  constructor(
    readonly samplingRate: number,
    readonly lowerBound: number,
  ) {
    this.ratio = new TraceIdRatioBasedSampler(samplingRate);
    this.bound = new RateLimitingSampler(lowerBound);
    this.byRatio = sampledWith('probabilistic', samplingRate);
    this.byBound = sampledWith('lowerbound', samplingRate);
  }

  decide(context: Context, traceId: string): SamplingResult {
    const ratio = this.ratio.shouldSample(context, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
    const bound = this.bound.shouldSample(context, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
    if (ratio) return this.byRatio;
    return bound ? this.byBound : NOT_SAMPLED;
  }

  sameAs(samplingRate: number, lowerBound: number): boolean {
    return this.samplingRate === samplingRate && this.lowerBound === lowerBound;
  }
}

/**
 * Jaeger's per-operation sampling for new traces: each operation (span name) listed in the strategy has its
 * own rate, every operation gets the strategy's lower bound of traces per second, and operations not listed
 * use the default rate. At most `maxOperations` operations are tracked; spans of further operations are
 * sampled by the default rate alone. Meant as a root sampler (the caller follows parents).
 */
export class PerOperationSampler implements Sampler {
  private operations = new Map<string, GuaranteedThroughput>();
  private defaultSampler!: TraceIdRatioBasedSampler;
  private defaultSampled!: SamplingResult;
  private strategy!: PerOperationStrategy;

  constructor(
    strategy: PerOperationStrategy,
    private readonly maxOperations: number,
  ) {
    this.update(strategy);
  }

  /**
   * Takes a newer strategy. An operation whose rate and lower bound are unchanged keeps its sampler (and so
   * its lower bound's credit); operations no longer listed fall back to the new defaults.
   */
  update(strategy: PerOperationStrategy): void {
    const lowerBound = strategy.defaultLowerBoundTracesPerSecond;
    const operations = new Map<string, GuaranteedThroughput>();
    for (const [operation, rate] of strategy.operations) {
      const current = this.operations.get(operation);
      operations.set(
        operation,
        current?.sameAs(rate, lowerBound) ? current : new GuaranteedThroughput(rate, lowerBound),
      );
    }
    this.operations = operations;
    this.strategy = strategy;
    this.defaultSampler = new TraceIdRatioBasedSampler(strategy.defaultSamplingProbability);
    this.defaultSampled = sampledWith('probabilistic', strategy.defaultSamplingProbability);
  }

  shouldSample(context: Context, traceId: string, spanName: string): SamplingResult {
    let sampler = this.operations.get(spanName);
    if (sampler === undefined) {
      if (this.operations.size >= this.maxOperations) {
        const decision = this.defaultSampler.shouldSample(context, traceId).decision;
        return decision === SamplingDecision.RECORD_AND_SAMPLED ? this.defaultSampled : NOT_SAMPLED;
      }
      sampler = new GuaranteedThroughput(
        this.strategy.defaultSamplingProbability,
        this.strategy.defaultLowerBoundTracesPerSecond,
      );
      this.operations.set(spanName, sampler);
    }
    return sampler.decide(context, traceId);
  }

  toString(): string {
    return `PerOperationSampler{operations=${this.operations.size}, default=${this.strategy.defaultSamplingProbability}}`;
  }
}
