import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  SamplingDecision,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { withSamplerTags } from '@tracery/core';

const decide = (sampler: Sampler, parent: Context = ROOT_CONTEXT) =>
  sampler.shouldSample(parent, 'a'.repeat(32), 'op', SpanKind.INTERNAL, {}, []);

describe('withSamplerTags', () => {
  it('tags a sampled new trace with sampler.type and sampler.param', () => {
    expect(decide(withSamplerTags(new AlwaysOnSampler(), 'const', true))).toEqual({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { 'sampler.type': 'const', 'sampler.param': true },
    });
  });

  it('adds nothing to an unsampled trace', () => {
    expect(decide(withSamplerTags(new AlwaysOffSampler(), 'const', false))).toEqual({
      decision: SamplingDecision.NOT_RECORD,
    });
  });

  it('adds nothing to a span that has a parent (only the first span of a trace is tagged)', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'b'.repeat(32),
      spanId: 'c'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(decide(withSamplerTags(new AlwaysOnSampler(), 'const', true), parent)).toEqual({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
    });
  });

  it("keeps the wrapped sampler's own attributes next to the tags", () => {
    const sampler: Sampler = {
      shouldSample: () => ({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { tenant: 'acme' } }),
      toString: () => 'Tenant',
    };
    expect(decide(withSamplerTags(sampler, 'probabilistic', 0.5)).attributes).toEqual({
      tenant: 'acme',
      'sampler.type': 'probabilistic',
      'sampler.param': 0.5,
    });
  });
});
