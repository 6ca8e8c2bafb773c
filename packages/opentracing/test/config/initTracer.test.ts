import * as os from 'node:os';
import { context, propagation, trace } from '@opentelemetry/api';
import { Traced } from '@tracery/core';
import { initTracer, withSpan, type JaegerConfig, type JaegerOptions } from '@tracery/opentracing';
import * as opentracing from 'opentracing';
import { captureDiag } from '../../../../test/support/captureDiag';
import { startFakeJaegerAgent } from '../../../../test/support/fakeJaegerAgent';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { startFakeSamplingServer } from '../../../../test/support/fakeSamplingServer';

class Ledger {
  @Traced()
  record(): string {
    return 'recorded';
  }
}

describe('initTracer', () => {
  let collector: FakeJaegerCollector;

  beforeAll(async () => {
    collector = await startFakeJaegerCollector();
  });

  afterAll(() => collector.close());

  beforeEach(() => {
    collector.batches.length = 0;
  });

  /** A tracer sending to the fake collector over HTTP (config merged over that). */
  const toCollector = (config: JaegerConfig = {}, options?: JaegerOptions) =>
    initTracer(
      {
        serviceName: 'orders',
        sampler: { type: 'const', param: 1 },
        ...config,
        reporter: { collectorEndpoint: collector.url, ...config.reporter },
      },
      options,
    );

  describe('with a collectorEndpoint', () => {
    it('sends the spans over HTTP, flushed by close() before its callback runs', async () => {
      const tracer = toCollector();
      const root = tracer.startSpan('checkout', { tags: { 'order.items': 3 } });
      tracer.startSpan('reserve', { childOf: root }).finish();
      root.finish();
      const spans = await new Promise<typeof collector.batches>((resolve) =>
        tracer.close(() => resolve(collector.batches)),
      );
      expect(spans.flatMap((batch) => batch.spans.map((span) => span.operationName)).sort()).toEqual([
        'checkout',
        'reserve',
      ]);
      const [checkout] = collector.spans().filter((span) => span.operationName === 'checkout');
      expect(checkout.tags['order.items']).toBe(3n);
      expect(collector.spans().find((span) => span.operationName === 'reserve')?.parentSpanId).toBe(
        checkout.spanId,
      );
    });

    it("names the process after serviceName, with options.tags and jaeger-client's hostname, ip and client-uuid", async () => {
      const tracer = toCollector({}, { tags: { 'orders.version': '1.4.2', replicas: 3 } });
      tracer.startSpan('op').finish();
      await tracer.close();
      const [batch] = collector.batches;
      expect(batch.serviceName).toBe('orders');
      expect(batch.processTags).toMatchObject({
        'orders.version': '1.4.2',
        replicas: 3n,
        hostname: os.hostname(),
        ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
        'client-uuid': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });

    it('authenticates with username and password (basic auth)', async () => {
      const tracer = toCollector({ reporter: { username: 'ingest', password: 's3cret' } });
      tracer.startSpan('op').finish();
      await tracer.close();
      expect(collector.requests.at(-1)?.headers.authorization).toBe(
        `Basic ${Buffer.from('ingest:s3cret').toString('base64')}`,
      );
    });

    it('reports an endpoint that is not a URL once, exports nothing and does not throw', async () => {
      const diagnostics = captureDiag();
      const errors: string[] = [];
      const tracer = initTracer(
        { serviceName: 'orders', reporter: { collectorEndpoint: 'jaeger collector' } },
        { logger: { info: () => undefined, error: (message) => errors.push(message) } },
      );
      tracer.startSpan('op').finish();
      await tracer.close();
      diagnostics.restore();
      expect(diagnostics.including('spans are not exported')).toHaveLength(1);
      expect(errors).toEqual([expect.stringContaining('spans are not exported')]);
    });
  });

  describe('without a collectorEndpoint', () => {
    it('sends the spans to the Jaeger agent over UDP (compact protocol)', async () => {
      const agent = await startFakeJaegerAgent();
      const tracer = initTracer({
        serviceName: 'orders',
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: '127.0.0.1', agentPort: agent.port },
      });
      tracer.startSpan('op').finish();
      await tracer.close();
      const [span] = await agent.waitForSpans(1);
      await agent.close();
      expect(span.operationName).toBe('op');
      expect(agent.messages[0]).toMatchObject({ name: 'emitBatch', batch: { serviceName: 'orders' } });
    });

    it("reports once that agentPort 6832 is the agent's binary port (spans are sent in the compact protocol)", async () => {
      const diagnostics = captureDiag();
      const tracer = initTracer({
        serviceName: 'orders',
        reporter: { agentHost: '127.0.0.1', agentPort: 6832 },
      });
      await tracer.close();
      diagnostics.restore();
      expect(diagnostics.including("6832 is the Jaeger agent's binary-protocol port")).toHaveLength(1);
    });
  });

  describe('sampling', () => {
    const rootsExported = async (sampler: JaegerConfig['sampler'], count: number) => {
      const tracer = toCollector({ sampler });
      for (let i = 0; i < count; i++) tracer.startSpan(`root-${i}`).finish();
      await tracer.close();
      return collector.spans();
    };

    it('const 1 samples every trace, tagging its first span sampler.type=const, sampler.param=true', async () => {
      const tracer = toCollector({ sampler: { type: 'const', param: 1 } });
      const root = tracer.startSpan('root');
      tracer.startSpan('child', { childOf: root }).finish();
      root.finish();
      await tracer.close();
      const byName = Object.fromEntries(collector.spans().map((span) => [span.operationName, span]));
      expect(byName.root.tags).toMatchObject({ 'sampler.type': 'const', 'sampler.param': true });
      expect(byName.child.tags['sampler.type']).toBeUndefined();
      expect(byName.root.flags).toBe(1);
    });

    it('const 0 samples none', async () => {
      expect(await rootsExported({ type: 'const', param: 0 }, 5)).toEqual([]);
    });

    it('sends a sampling.priority trace, and a jaeger-debug-id one, under const 0 with flags 3 (debug)', async () => {
      const tracer = toCollector({ sampler: { type: 'const', param: 0 } });
      const root = tracer.startSpan('forced', { tags: { [opentracing.Tags.SAMPLING_PRIORITY]: 1 } });
      tracer.startSpan('forced.child', { childOf: root }).finish();
      root.finish();
      const request = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'ticket-4711' });
      tracer.startSpan('debug-request', { childOf: request! }).finish();
      tracer.startSpan('plain').finish();
      await tracer.close();
      const byName = Object.fromEntries(collector.spans().map((span) => [span.operationName, span]));
      expect(Object.keys(byName).sort()).toEqual(['debug-request', 'forced', 'forced.child']);
      expect(Object.values(byName).map((span) => span.flags)).toEqual([3, 3, 3]);
      expect(byName.forced.tags).toMatchObject({ 'sampling.priority': 1n });
      expect(byName.forced.tags['sampler.type']).toBeUndefined();
      expect(byName['debug-request'].tags).toMatchObject({ 'jaeger-debug-id': 'ticket-4711' });
    });

    it('probabilistic samples the ratio given', async () => {
      expect(await rootsExported({ type: 'probabilistic', param: 0 }, 5)).toEqual([]);
      collector.batches.length = 0;
      const spans = await rootsExported({ type: 'probabilistic', param: 1 }, 5);
      expect(spans).toHaveLength(5);
      expect(spans[0].tags).toMatchObject({ 'sampler.type': 'probabilistic', 'sampler.param': 1n });
    });

    it('ratelimiting samples at most param traces per second', async () => {
      const spans = await rootsExported({ type: 'ratelimiting', param: 2 }, 10);
      expect(spans).toHaveLength(2);
      expect(spans[0].tags).toMatchObject({ 'sampler.type': 'ratelimiting', 'sampler.param': 2n });
    });

    it("remote asks the agent for the service's strategy and samples by it", async () => {
      const agent = await startFakeSamplingServer({
        strategy: { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0 } },
      });
      const tracer = toCollector({
        sampler: { type: 'remote', param: 1, hostPort: agent.hostPort, refreshIntervalMs: 100 },
      });
      // A fetch starts only after the previous one was applied: by the second request the first is in use.
      await agent.requestCount(2);
      tracer.startSpan('after the strategy').finish();
      await tracer.close();
      await agent.close();
      expect(agent.requests[0]).toEqual({ path: '/sampling', service: 'orders' });
      expect(collector.spans()).toEqual([]);
    });

    it('reports a sampler.param that is not a number once, and uses the default', async () => {
      const diagnostics = captureDiag();
      const spans = await rootsExported({ type: 'const', param: 'yes' as unknown as number }, 1);
      diagnostics.restore();
      expect(spans).toHaveLength(1);
      expect(diagnostics.including('sampler.param yes is not a number')).toHaveLength(1);
    });
  });

  describe('with @Traced code and OpenTelemetry in the same process', () => {
    it('records them into the same traces: the provider is registered globally', async () => {
      const tracer = toCollector();
      const span = tracer.startSpan('handle');
      expect(withSpan(span, () => new Ledger().record())).toBe('recorded');
      span.finish();
      await tracer.close();
      const ledger = collector.spans().find((recorded) => recorded.operationName === 'Ledger.record');
      expect(ledger).toMatchObject({
        traceId: span.context().toTraceId(),
        parentSpanId: span.context().toSpanId(),
      });
      expect(collector.batches.every((batch) => batch.serviceName === 'orders')).toBe(true);
    });

    it('registers its propagation format as the global propagator, and unregisters on close', async () => {
      const tracer = toCollector({}, { propagation: 'w3c' });
      const span = tracer.startSpan('op');
      const carrier: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      const viaOtel: Record<string, string> = {};
      withSpan(span, () => propagation.inject(context.active(), viaOtel));
      await tracer.close();
      expect(Object.keys(carrier)).toEqual(['traceparent']);
      expect(viaOtel).toEqual(carrier);
      expect(trace.getTracerProvider().getTracer('after').startSpan('x').isRecording()).toBe(false);
    });
  });

  describe('reporter.logSpans', () => {
    it("logs each finished sampled span through options.logger.info, as jaeger-client's logging reporter", async () => {
      const infos: string[] = [];
      const tracer = toCollector(
        { reporter: { logSpans: true } },
        { logger: { info: (message) => infos.push(message), error: () => undefined } },
      );
      const span = tracer.startSpan('op');
      span.finish();
      await tracer.close();
      expect(infos).toContain(`Reporting span ${span.context().toString()}`);
      expect(infos[0]).toMatch(/^Initializing @tracery\/opentracing tracer for orders: spans to Jaeger HTTP/);
    });
  });

  describe('when disabled', () => {
    it('records and exports nothing, still passes a trace context through, and closes', async () => {
      const tracer = toCollector({ disable: true });
      const incoming = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'uber-trace-id': '5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1',
      })!;
      const span = tracer.startSpan('op', { childOf: incoming });
      const outgoing: Record<string, string> = {};
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, outgoing);
      span.finish();
      const closed = jest.fn();
      await tracer.close(closed);
      expect(collector.spans()).toEqual([]);
      expect(outgoing['uber-trace-id']).toBe('5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1');
      expect(closed).toHaveBeenCalledTimes(1);
    });
  });

  describe('when settings are missing or unsupported', () => {
    it("reports a missing serviceName once and uses OpenTelemetry's default service name", async () => {
      const diagnostics = captureDiag();
      const tracer = initTracer({
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: collector.url },
      });
      tracer.startSpan('op').finish();
      await tracer.close();
      diagnostics.restore();
      expect(collector.batches[0].serviceName).toMatch(/^unknown_service/);
      expect(diagnostics.including('config.serviceName is missing')).toHaveLength(1);
    });

    it('reports jaeger-client options it does not support (metrics, contextKey, ...) once each, and ignores them', async () => {
      const diagnostics = captureDiag();
      const tracer = toCollector({}, {
        metrics: {},
        contextKey: 'x-trace',
      } as JaegerOptions);
      await tracer.close();
      diagnostics.restore();
      expect(diagnostics.including('options.metrics is not supported')).toHaveLength(1);
      expect(diagnostics.including('options.contextKey is not supported')).toHaveLength(1);
    });
  });
});
