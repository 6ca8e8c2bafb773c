import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SamplingDecision,
  SimpleSpanProcessor,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import {
  createPropagator,
  createSampler,
  JaegerRemoteSampler,
  TracerService,
  withSamplerTags,
  type SamplerConfig,
} from '@tracery/core';
import { headerGetter } from '../../src/propagation/headerCarrier';
import { withDebug } from '../../src/propagation/samplingSignals';
import {
  startFakeSamplingServer,
  type FakeSamplingServer,
} from '../../../../test/support/fakeSamplingServer';
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

  describe('when the config is remote', () => {
    let server: FakeSamplingServer;
    const built: Sampler[] = [];

    /** The remote sampler of `config`, after its first fetch. */
    async function remote(config: SamplerConfig, serviceName?: string): Promise<Sampler> {
      const sampler = createSampler({ refreshIntervalMs: 0, ...config }, {}, { serviceName });
      built.push(sampler);
      await (sampler as JaegerRemoteSampler).refresh();
      return sampler;
    }

    beforeEach(async () => {
      server = await startFakeSamplingServer({
        strategy: { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0 } },
      });
    });

    afterEach(async () => {
      for (const sampler of built.splice(0)) (sampler as JaegerRemoteSampler).shutdown();
      await server.close();
    });

    it("asks the agent at hostPort for the tracer's service and uses the strategy it serves", async () => {
      const sampler = await remote({ type: 'remote', hostPort: server.hostPort }, 'orders');
      expect(server.requests).toEqual([{ path: '/sampling', service: 'orders' }]);
      expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    });

    it.each<[string, (s: FakeSamplingServer) => SamplerConfig, string]>([
      [
        'a URL in hostPort, its path used',
        (s) => ({ type: 'remote', hostPort: `http://${s.hostPort}/custom` }),
        '/custom',
      ],
      ['host and port', (s) => ({ type: 'remote', host: '127.0.0.1', port: s.port }), '/sampling'],
      [
        'samplingPath over a path in hostPort',
        (s) => ({ type: 'remote', hostPort: `http://${s.hostPort}/a`, samplingPath: '/b' }),
        '/b',
      ],
      [
        'the remote sampler as root of parentbased',
        (s) => ({ type: 'parentbased', root: { type: 'remote', hostPort: s.hostPort } }),
        '/sampling',
      ],
    ])('reaches the endpoint given by %s', async (_label, config, path) => {
      await remote(config(server), 'orders');
      expect(server.requests).toEqual([{ path, service: 'orders' }]);
    });

    it('asks for the service named in the config over the one of the tracer', async () => {
      await remote({ type: 'remote', hostPort: server.hostPort, serviceName: 'billing' }, 'orders');
      expect(server.requests).toEqual([{ path: '/sampling', service: 'billing' }]);
    });

    it('uses param as the ratio of new traces sampled until a strategy arrives', () => {
      const sampler = createSampler({
        type: 'remote',
        hostPort: server.hostPort,
        param: 1,
        refreshIntervalMs: 0,
      });
      built.push(sampler);
      expect(decide(sampler, TRACE_ID_HIGH)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    });

    it.each<[string, SamplerConfig]>([
      ['a param above 1', { type: 'remote', param: 3, refreshIntervalMs: 0 }],
      ['a negative refreshIntervalMs', { type: 'remote', refreshIntervalMs: -5 }],
      ['a port out of range', { type: 'remote', host: '127.0.0.1', port: 70000, refreshIntervalMs: 0 }],
    ])('reports %s once and uses that setting’s default', (_label, config) => {
      const diagnostics = captureDiag();
      // The fake agent's address unless the case is about the address (nothing is fetched then).
      const sampler = createSampler({ hostPort: config.port ? undefined : server.hostPort, ...config });
      built.push(sampler);
      diagnostics.restore();
      expect(sampler).toBeInstanceOf(JaegerRemoteSampler);
      expect(diagnostics.messages).toHaveLength(1);
    });

    it('works from TracerService: the service name is the tracer’s, the strategy decides its spans', async () => {
      const tracing = new TracerService({
        serviceName: 'inventory',
        sampler: { type: 'remote', hostPort: server.hostPort, param: 1, refreshIntervalMs: 100 },
        registerGlobal: false,
      });
      // A fetch starts only after the previous one was applied: by the second request the first is in use.
      await server.requestCount(2);
      const span = tracing.startSpan('work');
      await tracing.shutdown();
      expect(server.requests[0]).toEqual({ path: '/sampling', service: 'inventory' });
      expect(span.isRecording()).toBe(false);
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

describe('createSampler and the caller’s sampling signals', () => {
  const TRACE = 'a'.repeat(32);
  const SPAN = 'b'.repeat(16);
  const extracted = (format: 'jaeger' | 'b3single' | 'b3', carrier: Record<string, string>) =>
    createPropagator(format).extract(ROOT_CONTEXT, carrier, headerGetter);
  const samplers: [string, () => Sampler][] = [
    ['const 0', () => createSampler({ type: 'const', param: 0 })],
    ['probabilistic 0', () => createSampler({ type: 'probabilistic', param: 0 })],
    ['ratelimiting 0', () => createSampler({ type: 'ratelimiting', param: 0 })],
    ['OTEL_TRACES_SAMPLER=always_off', () => createSampler(undefined, { OTEL_TRACES_SAMPLER: 'always_off' })],
    [
      'OTEL_TRACES_SAMPLER=parentbased_always_off',
      () => createSampler(undefined, { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }),
    ],
    // No polling (refreshIntervalMs 0): the initial ratio 0 decides, as while the agent is unreachable.
    ['remote, initial ratio 0', () => createSampler({ type: 'remote', param: 0, refreshIntervalMs: 0 })],
  ];

  describe.each(samplers)('when the sampler is %s', (_label, make) => {
    it('samples a debug trace (Jaeger :3, B3 d, X-B3-Flags: 1) whatever the config says', () => {
      for (const parent of [
        extracted('jaeger', { 'uber-trace-id': `${TRACE}:${SPAN}:0:2` }),
        extracted('b3single', { b3: `${TRACE}-${SPAN}-d` }),
        extracted('b3', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-flags': '1' }),
        withDebug(
          trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE }),
        ),
        withDebug(ROOT_CONTEXT),
      ]) {
        expect(decide(make(), TRACE, parent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      }
    });

    it('does not sample a new trace started under a debug one', () => {
      const parent = extracted('b3single', { b3: `${TRACE}-${SPAN}-d` });
      expect(decide(make(), TRACE_ID_HIGH, trace.deleteSpan(parent))).toBe(SamplingDecision.NOT_RECORD);
    });

    it('samples a root under b3: 1 sent alone (accept)', () => {
      expect(decide(make(), TRACE_ID_HIGH, extracted('b3single', { b3: '1' }))).toBe(
        SamplingDecision.RECORD_AND_SAMPLED,
      );
    });
  });

  it('asks the sampler about a debug root first, keeping its tags when it samples too, as Jaeger clients do', () => {
    const tagged = (sampled: boolean) =>
      createSampler({
        type: 'parentbased',
        root: withSamplerTags(sampled ? new AlwaysOnSampler() : new AlwaysOffSampler(), 'const', sampled),
      });
    const result = (sampler: Sampler) =>
      sampler.shouldSample(withDebug(ROOT_CONTEXT), TRACE, 'span', SpanKind.INTERNAL, {}, []);
    expect(result(tagged(true))).toEqual({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { 'sampler.type': 'const', 'sampler.param': true },
    });
    expect(result(tagged(false))).toEqual({ decision: SamplingDecision.RECORD_AND_SAMPLED });
  });

  it('honours the signals with a Sampler object of your own as the parentbased root', () => {
    const own = createSampler({ type: 'parentbased', root: new AlwaysOffSampler() });
    expect(decide(own, TRACE, withDebug(ROOT_CONTEXT))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(own, TRACE, extracted('b3single', { b3: `${TRACE}-${SPAN}` }))).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(decide(own, TRACE)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(own, TRACE, withParent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('samples the root of a jaeger-debug-id request and tags it with the id, not its children', () => {
    const request = extracted('jaeger', { 'jaeger-debug-id': 'ticket-4711' });
    const sampler = createSampler({ type: 'const', param: 0 });
    expect(sampler.shouldSample(request, TRACE, 'span', SpanKind.SERVER, {}, [])).toEqual({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { 'jaeger-debug-id': 'ticket-4711' },
    });
    const child = trace.setSpanContext(request, {
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(sampler.shouldSample(child, TRACE, 'span', SpanKind.INTERNAL, {}, [])).toEqual({
      decision: SamplingDecision.RECORD_AND_SAMPLED,
    });
  });

  it('decides a deferred trace (B3 ids without a state) with the root sampler, as a new trace', () => {
    const parent = extracted('b3single', { b3: `${TRACE}-${SPAN}` });
    expect(decide(createSampler({ type: 'const', param: 1 }), TRACE, parent)).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(createSampler({ type: 'const', param: 0 }), TRACE, parent)).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(decide(createSampler(undefined, {}), TRACE, parent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('follows an explicit unsampled B3 parent (b3 ...-0) as before', () => {
    const parent = extracted('b3single', { b3: `${TRACE}-${SPAN}-0` });
    expect(decide(createSampler({ type: 'const', param: 1 }), TRACE, parent)).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });

  it('does not sample a root under b3: 0 sent alone (deny)', () => {
    expect(
      decide(createSampler({ type: 'const', param: 1 }), TRACE_ID_LOW, extracted('b3single', { b3: '0' })),
    ).toBe(SamplingDecision.NOT_RECORD);
  });
});
