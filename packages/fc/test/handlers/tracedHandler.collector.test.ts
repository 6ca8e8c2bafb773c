import 'reflect-metadata';
import { Traced } from '@tracery/core';
import {
  invokeLocal,
  parseFcSpanContext,
  tracedHandler,
  tracedHttpHandler,
  type FcCallback,
  type FcContext,
  type FcHttpResponse,
} from '../../src';
import {
  startFakeJaegerCollector,
  type DecodedSpan,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import {
  fcContext,
  FC_SPAN_CONTEXT,
  FC_SPAN_ID,
  FC_TRACE_ID,
  SECRET_ACCESS_KEY,
  SECRET_SECURITY_TOKEN,
} from '../helpers/fcContexts';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { closedPortUrl } from '../../../../test/support/loopback';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

// Nothing is registered in this file: the handlers build this package's own provider (once, on the first traced
// call) and export to context.tracing.jaegerEndpoint, as `exports.handler = tracedHandler(...)` alone does in FC.

const TOKEN = 'tok3nS3cretValue';

class Inventory {
  @Traced('Inventory.reserve')
  async reserve(item: number): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    return item;
  }
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe('tracedHandler (exporting to the Jaeger endpoint FC hands over)', () => {
  let collector: FakeJaegerCollector;
  let diagCapture: DiagCapture;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const inventory = new Inventory();

  const withEndpoint = (endpoint: string, overrides: Partial<FcContext> = {}): FcContext =>
    fcContext({
      tracing: {
        openTracingSpanContext: FC_SPAN_CONTEXT,
        openTracingSpanBaggages: {},
        jaegerEndpoint: endpoint,
      },
      ...overrides,
    });

  const spansOfTrace = (traceIdLow: string): DecodedSpan[] =>
    collector.spans().filter((span) => span.traceId === traceIdLow.padStart(32, '0'));

  beforeAll(async () => {
    diagCapture = captureDiag();
    process.on('unhandledRejection', onUnhandled);
    collector = await startFakeJaegerCollector();
  });
  beforeEach(() => collector.setBehaviour('accept'));
  afterAll(async () => {
    await collector.close();
    process.off('unhandledRejection', onUnhandled);
    resetOpenTelemetry();
  });

  describe('when FC hands over a sampled span context and an endpoint', () => {
    it('has the invocation and its children at the collector, in one request, before the promise resolves', async () => {
      const handler = tracedHandler(async (_event: Buffer, _context: FcContext) => {
        for (let i = 0; i < 10; i++) await inventory.reserve(i);
        return 'reserved';
      });
      const requestsBefore = collector.requests.length;
      const result = await handler(Buffer.from('{}'), withEndpoint(collector.urlWithToken(TOKEN)));
      const atResolve = spansOfTrace(FC_TRACE_ID);
      const requests = collector.requests.length - requestsBefore;

      expect(result).toBe('reserved');
      expect(requests).toBe(1);
      expect(atResolve).toHaveLength(11);
      const invocation = atResolve.find((span) => span.operationName === 'orders-fn')!;
      expect(invocation.traceIdHigh).toBe(0n);
      expect(invocation.traceIdLow.toString(16)).toBe(FC_TRACE_ID);
      expect(invocation.parentSpanId).toBe(FC_SPAN_ID);
      expect(invocation.tags).toMatchObject({
        'span.kind': 'server',
        'faas.trigger': 'other',
        'faas.coldstart': true,
      });
      expect(typeof invocation.tags['faas.invocation.id']).toBe('string');
      const children = atResolve.filter((span) => span.operationName === 'Inventory.reserve');
      expect(children).toHaveLength(10);
      for (const child of children) expect(child.parentSpanId).toBe(invocation.spanId);
    });

    it("describes the instance in the batch's process: service name and FC resource", async () => {
      const handler = tracedHandler(async () => 1);
      await handler(Buffer.alloc(0), withEndpoint(collector.url));
      const batch = collector.batches[collector.batches.length - 1];
      expect(batch.serviceName).toBe('orders-service');
      expect(batch.processTags).toMatchObject({
        'cloud.provider': 'alibaba_cloud',
        'cloud.platform': 'alibaba_cloud_fc',
        'cloud.region': 'cn-hangzhou',
        'faas.name': 'orders-fn',
      });
    });

    it('has the spans at the collector before a callback-style handler calls back', async () => {
      const context = withEndpoint(collector.url, {
        tracing: { openTracingSpanContext: 'abcabc:def:0:1', jaegerEndpoint: collector.url },
      });
      const handler = tracedHandler((_event: Buffer, _ctx: FcContext, callback: FcCallback) => {
        void inventory.reserve(1).then((n) => callback(null, n));
      });
      const atCallback = await new Promise<number>((resolve) =>
        handler(Buffer.alloc(0), context, () => resolve(spansOfTrace('abcabc').length)),
      );
      expect(atCallback).toBe(2);
    });

    it('follows a different endpoint on a later call', async () => {
      const other = await startFakeJaegerCollector();
      try {
        const handler = tracedHandler(async () => 1);
        await handler(Buffer.alloc(0), withEndpoint(other.url));
        expect(other.spans().map((span) => span.operationName)).toEqual(['orders-fn']);
      } finally {
        await other.close();
      }
    });
  });

  describe('when an instance handles many calls', () => {
    it('keeps one provider and exporter for the instance: every call reuses the same keep-alive connection', async () => {
      // A provider (and Jaeger exporter) built per call, as FC's official sample does, opens a new connection
      // to the collector on each call.
      const fresh = await startFakeJaegerCollector();
      try {
        const first = tracedHandler(async () => 1);
        const second = tracedHandler(async () => 2);
        for (let i = 0; i < 3; i++) {
          await first(Buffer.alloc(0), withEndpoint(fresh.url));
          await second(Buffer.alloc(0), withEndpoint(fresh.url));
        }
        expect(fresh.requests).toHaveLength(6);
        expect(new Set(fresh.requests.map((request) => request.remotePort)).size).toBe(1);
      } finally {
        await fresh.close();
      }
    });

    it("sets two timers per call: the flush's budget and the export request's deadline", async () => {
      const handler = tracedHandler(async () => inventory.reserve(1));
      await handler(Buffer.alloc(0), withEndpoint(collector.url)); // the instance's provider is built
      const timers = jest.spyOn(global, 'setTimeout');
      try {
        for (let i = 0; i < 5; i++) await handler(Buffer.alloc(0), withEndpoint(collector.url));
        expect(timers.mock.calls.map(([, delayMs]) => delayMs)).toEqual(
          Array.from({ length: 5 }, () => [expect.any(Number), expect.any(Number)]).flat(),
        );
      } finally {
        timers.mockRestore();
      }
    });
  });

  describe('when an FC 2.0 HTTP handler sends its response', () => {
    it('has the span at the collector before resp.send passes the response on', async () => {
      const handler = tracedHttpHandler((_req, resp: FcHttpResponse) => {
        void inventory.reserve(2).then(() => resp.send('ok'));
      });
      const context = withEndpoint(collector.url, {
        tracing: { openTracingSpanContext: 'beef01:2:0:1', jaegerEndpoint: collector.url },
      });
      const atSend = await new Promise<string[]>((resolve) => {
        handler(
          { method: 'GET', path: '/', headers: {} },
          { send: () => resolve(spansOfTrace('beef01').map((s) => s.operationName)) },
          context,
        );
      });
      expect(atSend.sort()).toEqual(['Inventory.reserve', 'orders-fn']);
    });
  });

  describe('when the handler is run with invokeLocal', () => {
    it("exports under the fresh FC span context it made, as FC's own invocation would", async () => {
      let seen: FcContext | undefined;
      const handler = tracedHandler(async (event: Buffer, context: FcContext) => {
        seen = context;
        return JSON.parse(event.toString()) as unknown;
      });
      const result = await invokeLocal(handler, {
        event: { n: 1 },
        tracing: { jaegerEndpoint: collector.url },
      });
      expect(result).toEqual({ n: 1 });
      const fcSpan = parseFcSpanContext(seen?.tracing?.openTracingSpanContext)!;
      const [span] = collector.spans().filter((s) => s.traceId === fcSpan.traceId);
      expect(span.operationName).toBe('local-function');
      expect(span.parentSpanId).toBe(fcSpan.spanId);
    });
  });

  describe("when FC's span is unsampled", () => {
    it('sends nothing and skips the flush', async () => {
      const handler = tracedHandler(async () => inventory.reserve(3));
      const requestsBefore = collector.requests.length;
      const context = withEndpoint(collector.url, {
        tracing: {
          openTracingSpanContext: `${FC_TRACE_ID}:${FC_SPAN_ID}:0:0`,
          jaegerEndpoint: collector.url,
        },
      });
      expect(await handler(Buffer.alloc(0), context)).toBe(3);
      expect(collector.requests.length).toBe(requestsBefore);
    });
  });

  describe("when FC's span context is malformed", () => {
    it('starts a new trace, exports it, and reports the fault once', async () => {
      const handler = tracedHandler(async () => 'ok');
      for (const malformed of ['zzz:1:0:1', '0:0:0:1', 'a:b:c']) {
        const requestsBefore = collector.requests.length;
        await handler(
          Buffer.alloc(0),
          withEndpoint(collector.url, {
            tracing: { openTracingSpanContext: malformed, jaegerEndpoint: collector.url },
          }),
        );
        expect(collector.requests.length).toBe(requestsBefore + 1);
        const last = collector.batches[collector.batches.length - 1].spans[0];
        expect(last.parentSpanId).toBe('0000000000000000');
      }
      expect(diagCapture.including('openTracingSpanContext is malformed')).toHaveLength(1);
    });
  });

  describe('when 100 invocations interleave', () => {
    it("has each invocation's spans at the collector before its own promise resolves", async () => {
      const handler = tracedHandler(async (event: Buffer) => {
        const n = Number(event.toString());
        await new Promise((resolve) => setTimeout(resolve, n % 5));
        return inventory.reserve(n);
      });
      const traceOf = (i: number) => (0x1000 + i).toString(16);
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const context = withEndpoint(collector.url, {
            tracing: {
              openTracingSpanContext: `${traceOf(i)}:${(i + 1).toString(16)}:0:1`,
              jaegerEndpoint: collector.url,
            },
          });
          return handler(Buffer.from(String(i)), context).then((result) => ({
            result,
            spans: spansOfTrace(traceOf(i)),
          }));
        }),
      );
      outcomes.forEach(({ result, spans }, i) => {
        expect(result).toBe(i);
        const invocation = spans.find((span) => span.operationName === 'orders-fn');
        const child = spans.find((span) => span.operationName === 'Inventory.reserve');
        expect(invocation?.parentSpanId).toBe((i + 1).toString(16).padStart(16, '0'));
        expect(child?.parentSpanId).toBe(invocation?.spanId);
      });
    });
  });

  describe('when the collector misbehaves', () => {
    it.each(['hang', 'status500', 'reset', 'garbage'] as const)(
      'hands the result back unchanged when the collector does %s, without unhandled rejections',
      async (behaviour) => {
        collector.setBehaviour(behaviour);
        const handler = tracedHandler(async () => ({ kept: behaviour }), { flushTimeoutMs: 300 });
        await expect(handler(Buffer.alloc(0), withEndpoint(collector.url))).resolves.toEqual({
          kept: behaviour,
        });
        const failure = new Error(`handler failed while collector does ${behaviour}`);
        const failing = tracedHandler(
          async () => {
            throw failure;
          },
          { flushTimeoutMs: 300 },
        );
        await expect(failing(Buffer.alloc(0), withEndpoint(collector.url))).rejects.toBe(failure);
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).toEqual([]);
      },
    );

    it('hands the result and the error back unchanged when the collector is down (connection refused), without unhandled rejections', async () => {
      const down = await closedPortUrl('/api/traces');
      const handler = tracedHandler(async () => ({ kept: 'down' }), { flushTimeoutMs: 300 });
      await expect(handler(Buffer.alloc(0), withEndpoint(down))).resolves.toEqual({ kept: 'down' });
      const failure = new Error('handler failed while the collector is down');
      const failing = tracedHandler(
        async () => {
          throw failure;
        },
        { flushTimeoutMs: 300 },
      );
      await expect(failing(Buffer.alloc(0), withEndpoint(down))).rejects.toBe(failure);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    });

    it('cuts the wait to the time left in the invocation', async () => {
      collector.setBehaviour('hang');
      // a one-second function with a 200 ms safety margin: the flush may take at most ~800 ms, not the 60 s asked
      const handler = tracedHandler(async () => 'in time', { flushTimeoutMs: 60_000 });
      const context = withEndpoint(collector.url, {
        function: { name: 'orders-fn', memory: 128, timeout: 1 },
      });
      await expect(handler(Buffer.alloc(0), context)).resolves.toBe('in time');
    }, 10_000);

    it('reports the fault through diag once', () => {
      expect(diagCapture.including('@tracery/fc: spans were not exported within')).toHaveLength(1);
    });
  });

  describe('when secrets are around', () => {
    it('keeps the endpoint token and FC credentials out of spans, errors and diag messages', async () => {
      const endpoint = collector.urlWithToken(TOKEN);
      const failure = new Error(
        `cannot sign with ${SECRET_ACCESS_KEY} / ${SECRET_SECURITY_TOKEN} at ${endpoint}`,
      );
      const handler = tracedHandler(async () => {
        throw failure;
      });
      const context = withEndpoint(endpoint, {
        tracing: { openTracingSpanContext: '5ec2e7:1:0:1', jaegerEndpoint: endpoint },
      });
      await expect(handler(Buffer.alloc(0), context)).rejects.toBe(failure);
      const [span] = spansOfTrace('5ec2e7');
      expect(span.logs.length).toBeGreaterThan(0);
      collector.setBehaviour('status500');
      await tracedHandler(async () => 1)(Buffer.alloc(0), context);

      const everything = json({
        spans: collector.spans(),
        batches: collector.batches,
        diag: diagCapture.text(),
      });
      for (const secret of [TOKEN, SECRET_ACCESS_KEY, SECRET_SECURITY_TOKEN])
        expect(everything).not.toContain(secret);
    });
  });
});
