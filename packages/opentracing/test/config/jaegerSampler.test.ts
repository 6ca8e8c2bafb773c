import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-base';
import { jaegerSampler } from '../../src/config/jaegerSampler';
import type { JaegerSamplerConfig } from '../../src/config/types';
import { captureDiag } from '../../../../test/support/captureDiag';

const decide = (sampler: Sampler) =>
  sampler.shouldSample(ROOT_CONTEXT, 'f'.repeat(32), 'op', SpanKind.INTERNAL, {}, []);

describe('jaegerSampler', () => {
  it("is jaeger-client's default without a config: remote sampling, 0.001 until a strategy arrives", () => {
    expect(jaegerSampler(undefined, undefined)).toEqual({ type: 'remote', param: 0.001 });
  });

  it('passes the remote settings on to the remote sampler of @tracery/core', () => {
    expect(
      jaegerSampler(
        { type: 'remote', param: 0.5, hostPort: 'agent:5778', refreshIntervalMs: 1000 },
        undefined,
      ),
    ).toMatchObject({ type: 'remote', param: 0.5, hostPort: 'agent:5778', refreshIntervalMs: 1000 });
  });

  it('samples nothing for a const param other than 1, as jaeger-client (ConstSampler(param === 1))', () => {
    expect(decide(jaegerSampler({ type: 'const', param: 2 }, undefined) as Sampler).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });

  it('reports an unknown type once and uses the default, remote sampling', () => {
    const diagnostics = captureDiag();
    const sampler = jaegerSampler({ type: 'lowerbound' } as unknown as JaegerSamplerConfig, undefined);
    diagnostics.restore();
    expect(sampler).toEqual({ type: 'remote', param: 0.001 });
    expect(diagnostics.including('sampler.type lowerbound is not')).toHaveLength(1);
  });
});
