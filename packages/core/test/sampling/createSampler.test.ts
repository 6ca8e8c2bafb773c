import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SamplingDecision,
  SimpleSpanProcessor,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { createSampler, type SamplerConfig } from '@tracery/core';
import { captureDiag } from '../support/inMemoryPipeline';

const TRACE_ID_LOW = '00000000000000000000000000000001'; // below any ratio threshold
const TRACE_ID_HIGH = 'ffffffff000000000000000000000000'; // above any ratio threshold below 1 (ids are folded by XOR)

const decide = (sampler: Sampler, traceId = TRACE_ID_LOW, parent: Context = ROOT_CONTEXT) =>
  sampler.shouldSample(parent, traceId, 'span', SpanKind.INTERNAL, {}, []).decision;

const withParent = (sampled: boolean, isRemote = true) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
  });

/** Ends `count` root spans on a provider using `sampler`; returns how many were exported. */
function exportedRoots(sampler: Sampler, count: number): number {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < count; i++) tracer.startSpan('root', {}, ROOT_CONTEXT).end();
  return exporter.getFinishedSpans().length;
}

describe('createSampler', () => {
  describe('when given a Sampler object', () => {
    it('returns it as is', () => {
      const sampler = new AlwaysOnSampler();
      expect(createSampler(sampler)).toBe(sampler);
    });
  });

  describe('when the config is const', () => {
    it('samples every new trace with param 1 (the default)', () => {
      expect(exportedRoots(createSampler({ type: 'const', param: 1 }), 10)).toBe(10);
      expect(exportedRoots(createSampler({ type: 'const' }), 3)).toBe(3);
    });

    it('samples no new trace with param 0', () => {
      expect(exportedRoots(createSampler({ type: 'const', param: 0 }), 10)).toBe(0);
    });

    it('follows a sampled parent, as Jaeger clients do', () => {
      expect(decide(createSampler({ type: 'const', param: 0 }), TRACE_ID_LOW, withParent(true))).toBe(
        SamplingDecision.RECORD_AND_SAMPLED,
      );
      expect(decide(createSampler({ type: 'const', param: 1 }), TRACE_ID_LOW, withParent(false))).toBe(
        SamplingDecision.NOT_RECORD,
      );
    });
  });

  describe('when the config is probabilistic', () => {
    it('decides by trace id against the ratio', () => {
      const sampler = createSampler({ type: 'probabilistic', param: 0.5 });
      expect(decide(sampler, TRACE_ID_LOW)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(sampler, TRACE_ID_HIGH)).toBe(SamplingDecision.NOT_RECORD);
    });

    it('samples about the ratio of many traces', () => {
      const sampled = exportedRoots(createSampler({ type: 'probabilistic', param: 0.25 }), 4000);
      expect(sampled).toBeGreaterThan(700);
      expect(sampled).toBeLessThan(1300);
    });
  });

  describe('when the config is ratelimiting', () => {
    it('samples at most param new traces at once (then refills over time)', () => {
      expect(exportedRoots(createSampler({ type: 'ratelimiting', param: 5 }), 50)).toBe(5);
    });

    it('does not spend credits on spans that have a parent', () => {
      const sampler = createSampler({ type: 'ratelimiting', param: 1 });
      for (let i = 0; i < 10; i++) {
        expect(decide(sampler, TRACE_ID_LOW, withParent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      }
      expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    });
  });

  describe('when the config is parentbased', () => {
    it('uses the root sampler for new traces and the parent otherwise', () => {
      const sampler = createSampler({ type: 'parentbased', root: { type: 'const', param: 0 } });
      expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
      expect(decide(sampler, TRACE_ID_LOW, withParent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(sampler, TRACE_ID_LOW, withParent(false, false))).toBe(SamplingDecision.NOT_RECORD);
    });

    it('samples new traces when no root is given', () => {
      expect(decide(createSampler({ type: 'parentbased' }))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    });
  });

  describe('when the config is invalid', () => {
    it.each<[string, SamplerConfig]>([
      ['an unknown type', { type: 'sometimes' as SamplerConfig['type'] }],
      ['a const param of 0.5', { type: 'const', param: 0.5 }],
      ['a NaN param', { type: 'probabilistic', param: NaN }],
    ])('reports %s once and samples every new trace', (_label, config) => {
      const diagnostics = captureDiag();
      const sampler = createSampler(config);
      diagnostics.restore();
      expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(diagnostics.messages).toHaveLength(1);
    });
  });

  describe('when no config is given', () => {
    it('samples everything by default, following the parent', () => {
      const sampler = createSampler(undefined, {});
      expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(sampler, TRACE_ID_LOW, withParent(false))).toBe(SamplingDecision.NOT_RECORD);
    });

    it.each([
      ['always_off', undefined, TRACE_ID_LOW, SamplingDecision.NOT_RECORD],
      ['always_on', undefined, TRACE_ID_HIGH, SamplingDecision.RECORD_AND_SAMPLED],
      ['traceidratio', '0.5', TRACE_ID_HIGH, SamplingDecision.NOT_RECORD],
      ['traceidratio', '0.5', TRACE_ID_LOW, SamplingDecision.RECORD_AND_SAMPLED],
      ['parentbased_traceidratio', '0', TRACE_ID_LOW, SamplingDecision.NOT_RECORD],
      ['parentbased_always_off', undefined, TRACE_ID_LOW, SamplingDecision.NOT_RECORD],
      ['PARENTBASED_ALWAYS_ON', undefined, TRACE_ID_LOW, SamplingDecision.RECORD_AND_SAMPLED],
    ])('honours OTEL_TRACES_SAMPLER=%s with ARG %s', (name, arg, traceId, expected) => {
      const env = {
        OTEL_TRACES_SAMPLER: name,
        ...(arg === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: arg }),
      };
      expect(decide(createSampler(undefined, env), traceId)).toBe(expected);
    });

    it('falls back to the default for an unsupported OTEL_TRACES_SAMPLER and a bad ARG', () => {
      const diagnostics = captureDiag();
      expect(decide(createSampler(undefined, { OTEL_TRACES_SAMPLER: 'jaeger_remote' }))).toBe(
        SamplingDecision.RECORD_AND_SAMPLED,
      );
      const badArg = createSampler(undefined, {
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '7',
      });
      diagnostics.restore();
      expect(decide(badArg, TRACE_ID_HIGH)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(diagnostics.messages).toHaveLength(2);
    });
  });
});
