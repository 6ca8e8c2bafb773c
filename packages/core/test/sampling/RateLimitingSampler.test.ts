import { ROOT_CONTEXT } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { RateLimitingSampler } from '@tracery/core';

/** Sampled decisions of `count` calls at the current fake time. */
function sampledCount(sampler: RateLimitingSampler, count: number): number {
  let sampled = 0;
  for (let i = 0; i < count; i++) {
    if (sampler.shouldSample(ROOT_CONTEXT, 'a'.repeat(32)).decision === SamplingDecision.RECORD_AND_SAMPLED)
      sampled++;
  }
  return sampled;
}

describe('RateLimitingSampler', () => {
  describe('when calls come faster than the rate', () => {
    it('samples the burst allowance, then the rate per second', () => {
      let now = 0;
      const sampler = new RateLimitingSampler(10, () => now);
      expect(sampledCount(sampler, 100)).toBe(10);
      now += 500;
      expect(sampledCount(sampler, 100)).toBe(5);
      now += 1000;
      expect(sampledCount(sampler, 100)).toBe(10);
      now += 60_000; // credits are capped, not accumulated without bound
      expect(sampledCount(sampler, 100)).toBe(10);
    });
  });

  describe('when the rate is below one per second', () => {
    it('samples one trace every 1/rate seconds', () => {
      let now = 0;
      const sampler = new RateLimitingSampler(0.5, () => now);
      expect(sampledCount(sampler, 10)).toBe(1);
      now += 1000;
      expect(sampledCount(sampler, 10)).toBe(0);
      now += 1000;
      expect(sampledCount(sampler, 10)).toBe(1);
    });
  });

  describe('when the rate is zero', () => {
    it('samples nothing', () => {
      expect(sampledCount(new RateLimitingSampler(0, () => 0), 10)).toBe(0);
    });
  });

  describe('when the clock goes backwards', () => {
    it('does not grant credits', () => {
      let now = 10_000;
      const sampler = new RateLimitingSampler(1, () => now);
      expect(sampledCount(sampler, 5)).toBe(1);
      now = 0;
      expect(sampledCount(sampler, 5)).toBe(0);
    });
  });

  it('describes itself', () => {
    expect(new RateLimitingSampler(3).toString()).toBe('RateLimitingSampler{3}');
  });
});
