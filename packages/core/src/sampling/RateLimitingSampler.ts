import type { Context } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/**
 * Samples at most `tracesPerSecond` traces per second with a token bucket: it holds up to
 * `max(tracesPerSecond, 1)` credits, starts full, earns `tracesPerSecond` credits per second, and each
 * sampled decision spends one. Meant as the root sampler of new traces (see `createSampler`).
 */
export class RateLimitingSampler implements Sampler {
  private readonly maxBalance: number;
  private balance: number;
  private lastTick: number;

  /**
   * @param tracesPerSecond traces sampled per second; 0 or less samples none.
   * @param now clock in milliseconds (monotonic); replaceable for tests.
   */
  constructor(
    private readonly tracesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.maxBalance = Math.max(tracesPerSecond, 1);
    this.balance = tracesPerSecond > 0 ? this.maxBalance : 0;
    this.lastTick = now();
  }

  shouldSample(_context: Context, _traceId: string): SamplingResult {
    if (this.tracesPerSecond <= 0) return { decision: SamplingDecision.NOT_RECORD };
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.lastTick) / 1000;
    this.lastTick = now;
    this.balance = Math.min(this.maxBalance, this.balance + elapsedSeconds * this.tracesPerSecond);
    if (this.balance >= 1) {
      this.balance -= 1;
      return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    }
    return { decision: SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `RateLimitingSampler{${this.tracesPerSecond}}`;
  }
}
