import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { AlwaysOnSampler, SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-base';
import { createTracerProvider, JaegerRemoteSampler } from '@tracery/core';
import { closedPortUrl } from '../../../../test/support/loopback';
import {
  startFakeSamplingServer,
  type FakeSamplingServer,
  type SamplingStrategyResponse,
} from '../../../../test/support/fakeSamplingServer';
import { captureDiag } from '../support/inMemoryPipeline';

const TRACE_ID_LOW = '00000000000000000000000000000001'; // below any ratio threshold
const TRACE_ID_HIGH = 'ffffffff000000000000000000000000'; // above any ratio threshold below 1

const probabilistic = (samplingRate: number): SamplingStrategyResponse => ({
  strategyType: 'PROBABILISTIC',
  probabilisticSampling: { samplingRate },
});

const decide = (sampler: Sampler, name = 'op', traceId = TRACE_ID_LOW, parent: Context = ROOT_CONTEXT) =>
  sampler.shouldSample(parent, traceId, name, SpanKind.INTERNAL, {}, []);

const sampled = (sampler: Sampler, name = 'op', traceId = TRACE_ID_LOW) =>
  decide(sampler, name, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;

const withParent = (isSampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    traceFlags: isSampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });

describe('JaegerRemoteSampler', () => {
  let server: FakeSamplingServer;
  const samplers: JaegerRemoteSampler[] = [];

  /** A sampler on the fake agent that only fetches when asked (`refreshIntervalMs: 0`) unless told. */
  function remote(options: Partial<ConstructorParameters<typeof JaegerRemoteSampler>[0]> = {}) {
    const sampler = new JaegerRemoteSampler({
      serviceName: 'orders',
      endpoint: server.endpoint,
      refreshIntervalMs: 0,
      ...options,
    });
    samplers.push(sampler);
    return sampler;
  }

  beforeEach(async () => {
    server = await startFakeSamplingServer({ strategy: probabilistic(1) });
  });

  afterEach(async () => {
    for (const sampler of samplers.splice(0)) sampler.shutdown();
    await server.close();
  });

  describe('when the agent serves a probabilistic strategy', () => {
    it("asks the agent's sampling endpoint for its service", async () => {
      await remote({ serviceName: 'orders api' }).refresh();
      expect(server.requests).toEqual([{ path: '/sampling', service: 'orders api' }]);
    });

    it('samples new traces at the served rate, by trace id', async () => {
      server.serve({ strategy: probabilistic(0.5) });
      const sampler = remote();
      await sampler.refresh();
      expect(sampled(sampler, 'op', TRACE_ID_LOW)).toBe(true);
      expect(sampled(sampler, 'op', TRACE_ID_HIGH)).toBe(false);
    });

    it("tags a sampled new trace with Jaeger's sampler.type and sampler.param", async () => {
      const sampler = remote();
      await sampler.refresh();
      expect(decide(sampler).attributes).toEqual({ 'sampler.type': 'probabilistic', 'sampler.param': 1 });
    });

    it("follows the parent's sampled flag for spans with a parent, whatever the strategy", async () => {
      server.serve({ strategy: probabilistic(0) });
      const sampler = remote();
      await sampler.refresh();
      expect(decide(sampler, 'op', TRACE_ID_LOW, withParent(true))).toEqual({
        decision: SamplingDecision.RECORD_AND_SAMPLED,
      });
      server.serve({ strategy: probabilistic(1) });
      await sampler.refresh();
      expect(decide(sampler, 'op', TRACE_ID_LOW, withParent(false)).decision).toBe(
        SamplingDecision.NOT_RECORD,
      );
    });
  });

  describe('when the agent serves a rate-limiting strategy', () => {
    it('samples at most maxTracesPerSecond new traces at once, tagged ratelimiting', async () => {
      server.serve({
        strategy: { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 2 } },
      });
      const sampler = remote();
      await sampler.refresh();
      const results = Array.from({ length: 10 }, () => decide(sampler));
      const kept = results.filter((result) => result.decision === SamplingDecision.RECORD_AND_SAMPLED);
      expect(kept).toHaveLength(2);
      expect(kept[0].attributes).toEqual({ 'sampler.type': 'ratelimiting', 'sampler.param': 2 });
    });
  });

  describe('when the agent serves a per-operation strategy', () => {
    const perOperation: SamplingStrategyResponse = {
      strategyType: 'PROBABILISTIC',
      operationSampling: {
        defaultSamplingProbability: 0,
        defaultLowerBoundTracesPerSecond: 1,
        perOperationStrategies: [
          { operation: 'checkout', probabilisticSampling: { samplingRate: 1 } },
          { operation: 'health', probabilisticSampling: { samplingRate: 0 } },
        ],
      },
    };

    it("samples each listed operation at its own rate (the operation is the span's name)", async () => {
      server.serve({ strategy: perOperation });
      const sampler = remote();
      await sampler.refresh();
      for (let i = 0; i < 5; i++) {
        expect(decide(sampler, 'checkout', TRACE_ID_HIGH).attributes).toEqual({
          'sampler.type': 'probabilistic',
          'sampler.param': 1,
        });
      }
    });

    it('guarantees every operation its lower bound of traces per second, tagged lowerbound', async () => {
      server.serve({ strategy: perOperation });
      const sampler = remote();
      await sampler.refresh();
      expect(decide(sampler, 'health').attributes).toEqual({
        'sampler.type': 'lowerbound',
        'sampler.param': 0,
      });
      expect(sampled(sampler, 'health')).toBe(false);
      expect(decide(sampler, 'unlisted').attributes).toEqual({
        'sampler.type': 'lowerbound',
        'sampler.param': 0,
      });
      expect(sampled(sampler, 'unlisted')).toBe(false);
    });

    it('tracks at most maxOperations operations; the rest get the default rate alone, reported once', async () => {
      server.serve({ strategy: perOperation });
      const diagnostics = captureDiag();
      const sampler = remote({ maxOperations: 1 });
      await sampler.refresh();
      await sampler.refresh();
      diagnostics.restore();
      expect(sampled(sampler, 'health')).toBe(false); // left out: no lower bound for it
      expect(sampled(sampler, 'unlisted')).toBe(false);
      expect(sampled(sampler, 'checkout')).toBe(true);
      expect(diagnostics.messages).toEqual([expect.stringContaining('more than 1 operations')]);
    });
  });

  describe('when strategies are refreshed on the interval', () => {
    it('fetches at once, then again every refreshIntervalMs, and uses each newer strategy', async () => {
      server.serve({ strategy: probabilistic(0) });
      const sampler = remote({ refreshIntervalMs: 100 });
      await server.requestCount(1);
      await sampler.refresh(); // the first fetch, already under way
      expect(server.requests).toHaveLength(1);
      expect(sampled(sampler)).toBe(false);

      server.serve({ strategy: probabilistic(1) });
      // A fetch starts only after the previous one was applied: by the third request, the second is in use.
      await server.requestCount(3);
      expect(sampled(sampler)).toBe(true);
    });
  });

  describe('when the sampling endpoint cannot be reached', () => {
    it('never throws, decides by the initial sampler and reports once', async () => {
      const diagnostics = captureDiag();
      const sampler = new JaegerRemoteSampler({
        serviceName: 'orders',
        endpoint: await closedPortUrl('/sampling'),
        initialSampler: new AlwaysOnSampler(),
        refreshIntervalMs: 0,
      });
      await sampler.refresh();
      await sampler.refresh();
      await sampler.refresh();
      diagnostics.restore();
      expect(sampled(sampler, 'op', TRACE_ID_HIGH)).toBe(true);
      expect(diagnostics.messages).toEqual([
        expect.stringMatching(
          /could not be fetched from http:\/\/127\.0\.0\.1:\d+\/sampling \(.*ECONNREFUSED.*initial sampler/,
        ),
      ]);
    });

    it("samples new traces at Jaeger's initial rate of 0.001 when no initial sampler is given", () => {
      const sampler = remote();
      expect(sampled(sampler, 'op', TRACE_ID_LOW)).toBe(true);
      expect(sampled(sampler, 'op', TRACE_ID_HIGH)).toBe(false);
      expect(decide(sampler).attributes).toEqual({ 'sampler.type': 'probabilistic', 'sampler.param': 0.001 });
    });

    it('keeps the last strategy when a later fetch fails, and says so', async () => {
      const sampler = remote({ initialSampler: new AlwaysOnSampler() });
      server.serve({ strategy: probabilistic(0) });
      await sampler.refresh();
      server.serve({ status: 503 });
      const diagnostics = captureDiag();
      await sampler.refresh();
      diagnostics.restore();
      expect(sampled(sampler)).toBe(false);
      expect(diagnostics.messages).toEqual([
        expect.stringContaining('HTTP status 503); the last strategy (probabilistic(0)) stays in use'),
      ]);
    });

    it('gives up on an agent that does not answer after the fetch time (the refresh interval, at most 10 s)', async () => {
      server.serve({ hang: true });
      const diagnostics = captureDiag();
      const sampler = remote({ refreshIntervalMs: 200 });
      await server.requestCount(1);
      await sampler.refresh();
      diagnostics.restore();
      expect(diagnostics.messages).toEqual([expect.stringContaining('no response within 200 ms')]);
    });
  });

  describe('when the agent answers garbage', () => {
    it.each<[string, string]>([
      ['text that is not JSON', 'strategies coming soon'],
      ['JSON that is not an object', '[1, 2, 3]'],
      ['an unknown strategy type', '{"strategyType": "ALWAYS"}'],
      [
        'a sampling rate above 1',
        '{"strategyType": "PROBABILISTIC", "probabilisticSampling": {"samplingRate": 7}}',
      ],
      [
        'a rate limit that is a string',
        '{"strategyType": "RATE_LIMITING", "rateLimitingSampling": {"maxTracesPerSecond": "9"}}',
      ],
      [
        'an operation without a rate',
        '{"strategyType": 0, "operationSampling": {"defaultSamplingProbability": 0, "defaultLowerBoundTracesPerSecond": 0, "perOperationStrategies": [{"operation": "a"}]}}',
      ],
    ])('ignores %s, keeps deciding as before and reports once', async (_label, body) => {
      server.serve({ body });
      const diagnostics = captureDiag();
      const sampler = remote({ initialSampler: new AlwaysOnSampler() });
      await sampler.refresh();
      await sampler.refresh();
      diagnostics.restore();
      expect(sampled(sampler, 'a', TRACE_ID_HIGH)).toBe(true);
      expect(diagnostics.messages).toEqual([
        expect.stringMatching(/strategy from http:\/\/127\.0\.0\.1:\d+\/sampling was not understood/),
      ]);
    });

    it('does not read more than 1 MiB of an answer', async () => {
      server.serve({ body: `{"strategyType": "PROBABILISTIC", "pad": "${'x'.repeat(1024 * 1024)}"}` });
      const diagnostics = captureDiag();
      const sampler = remote({ initialSampler: new AlwaysOnSampler() });
      await sampler.refresh();
      diagnostics.restore();
      expect(sampled(sampler, 'op', TRACE_ID_HIGH)).toBe(true);
      expect(diagnostics.messages).toEqual([expect.stringContaining('larger than 1048576 bytes')]);
    });

    it('accepts the strategy type as its Thrift ordinal (RATE_LIMITING = 1)', async () => {
      server.serve({ body: '{"strategyType": 1, "rateLimitingSampling": {"maxTracesPerSecond": 1}}' });
      const sampler = remote();
      await sampler.refresh();
      expect(decide(sampler).attributes).toEqual({ 'sampler.type': 'ratelimiting', 'sampler.param': 1 });
    });
  });

  describe('when shut down', () => {
    it('fetches nothing more, even when asked', async () => {
      const sampler = remote();
      sampler.shutdown();
      await sampler.refresh();
      expect(server.requests).toEqual([]);
    });

    it('closes a fetch still waiting for its answer, at once and without reporting it', async () => {
      server.serve({ hang: true });
      const diagnostics = captureDiag();
      // The fetch time is 10 s (the refresh interval, at most 10 s): closed, the fetch ends long before.
      const sampler = remote({ refreshIntervalMs: 60_000 });
      await server.requestCount(1);
      const fetching = sampler.refresh();
      const started = Date.now();
      sampler.shutdown();
      await fetching;
      diagnostics.restore();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(diagnostics.messages).toEqual([]);
    }, 20_000);

    it('is shut down with the provider createTracerProvider built around it', async () => {
      const sampler = remote();
      const provider = createTracerProvider({ sampler });
      await provider.shutdown();
      await sampler.refresh();
      expect(server.requests).toEqual([]);
    });
  });
});
