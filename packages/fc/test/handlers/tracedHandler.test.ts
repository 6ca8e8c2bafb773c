import 'reflect-metadata';
import { SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { Traced } from '@tracery/core';
import { tracedHandler, type FcCallback, type FcContext } from '../../src';
import { fcContext, FC_SPAN_ID, PADDED_FC_TRACE_ID } from '../helpers/fcContexts';
import { useMemoryTracing } from '../helpers/memoryTracing';

// The name the semantic conventions we ship give the invocation id (read from their incubating entry, as only a
// test may: the package itself defines its constants).
const { ATTR_FAAS_INVOCATION_ID } = require('@opentelemetry/semantic-conventions/incubating') as {
  ATTR_FAAS_INVOCATION_ID: string;
};

class OrderRepository {
  @Traced('OrderRepository.load')
  async load(id: string): Promise<string> {
    await new Promise((resolve) => setImmediate(resolve));
    return `order-${id}`;
  }
}

describe('tracedHandler', () => {
  const tracing = useMemoryTracing();

  describe('when the handler is async', () => {
    it("records a SERVER span named after the function, child of FC's span, exported before the promise resolves", async () => {
      const context = fcContext();
      const handler = tracedHandler(async () => 'done', { tracerProvider: tracing.provider });
      const result = await handler(Buffer.from('{}'), context);
      const exportedAtResolve = tracing.named('orders-fn');

      expect(result).toBe('done');
      expect(exportedAtResolve).toHaveLength(1);
      const [span] = exportedAtResolve;
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.spanContext().traceId).toBe(PADDED_FC_TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.parentSpanContext?.isRemote).toBe(true);
      expect(ATTR_FAAS_INVOCATION_ID).toBe('faas.invocation.id');
      expect(span.attributes[ATTR_FAAS_INVOCATION_ID]).toBe(context.requestId);
      expect(span.attributes).not.toHaveProperty('faas.invocation_id');
      expect(span.attributes['faas.trigger']).toBe('other');
    });

    it("makes the handler's @Traced spans children of the invocation span", async () => {
      const repository = new OrderRepository();
      const handler = tracedHandler(async () => repository.load('7'), { tracerProvider: tracing.provider });
      expect(await handler(Buffer.alloc(0), fcContext())).toBe('order-7');
      const [invocation] = tracing.named('orders-fn');
      const [child] = tracing.named('OrderRepository.load');
      expect(child.spanContext().traceId).toBe(PADDED_FC_TRACE_ID);
      expect(child.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId);
    });

    it('rejects with the same error object and records it on the span', async () => {
      const failure = new Error('payment declined');
      const handler = tracedHandler(
        async () => {
          throw failure;
        },
        { tracerProvider: tracing.provider },
      );
      await expect(handler(Buffer.alloc(0), fcContext())).rejects.toBe(failure);
      const [span] = tracing.named('orders-fn');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'payment declined' });
      expect(span.events.find((event) => event.name === 'exception')?.attributes?.['exception.message']).toBe(
        'payment declined',
      );
    });

    it('turns a synchronous throw into a rejection with the same error, after the flush', async () => {
      const failure = new TypeError('bad input');
      const handler = tracedHandler(
        (_event: Buffer, _context: FcContext): string => {
          throw failure;
        },
        { tracerProvider: tracing.provider },
      );
      await expect(handler(Buffer.alloc(0), fcContext())).rejects.toBe(failure);
      expect(tracing.named('orders-fn')[0].status.code).toBe(SpanStatusCode.ERROR);
    });

    it('keeps the declared arity (two parameters)', () => {
      expect(tracedHandler(async (_e: Buffer, _c: FcContext) => 1).length).toBe(2);
    });
  });

  describe('when the handler is callback style', () => {
    it('calls the callback once, after the span is exported, with the same arguments', async () => {
      const result = { ok: true };
      const handler = tracedHandler(
        (_event: Buffer, _context: FcContext, callback: FcCallback) => {
          setImmediate(() => {
            callback(null, result);
            callback(null, 'second call is ignored');
          });
        },
        { tracerProvider: tracing.provider },
      );
      expect(handler.length).toBe(3);
      const calls: { args: unknown[]; exported: number }[] = [];
      await new Promise<void>((resolve) => {
        handler(Buffer.alloc(0), fcContext(), (...args: unknown[]) => {
          calls.push({ args, exported: tracing.named('orders-fn').length });
          setImmediate(resolve);
        });
      });
      expect(calls).toEqual([{ args: [null, result], exported: 1 }]);
    });

    it('passes callback(err) on with the same error and records it', async () => {
      const failure = new Error('no stock');
      const handler = tracedHandler(
        (_event: Buffer, _context: FcContext, callback: FcCallback) => callback(failure),
        { tracerProvider: tracing.provider },
      );
      const received = await new Promise<unknown>((resolve) =>
        handler(Buffer.alloc(0), fcContext(), resolve),
      );
      expect(received).toBe(failure);
      expect(tracing.named('orders-fn')[0].status).toEqual({
        code: SpanStatusCode.ERROR,
        message: 'no stock',
      });
    });

    it('rethrows a synchronous throw at once, unchanged', () => {
      const failure = new Error('sync');
      const handler = tracedHandler(
        (_event: Buffer, _context: FcContext, _callback: FcCallback) => {
          throw failure;
        },
        { tracerProvider: tracing.provider },
      );
      expect(() => handler(Buffer.alloc(0), fcContext(), () => undefined)).toThrow(failure);
    });

    it('keeps `this`', async () => {
      const receiver = { name: 'receiver' };
      const seen: unknown[] = [];
      const handler = tracedHandler(
        function (this: unknown, _event: Buffer, _context: FcContext, callback: FcCallback) {
          seen.push(this);
          callback(null, 1);
        },
        { tracerProvider: tracing.provider },
      );
      await new Promise((resolve) => handler.call(receiver, Buffer.alloc(0), fcContext(), resolve));
      expect(seen).toEqual([receiver]);
      expect(seen[0]).toBe(receiver);
    });
  });

  describe("when FC's span is unsampled", () => {
    it('records nothing by default', async () => {
      const context = fcContext({
        tracing: { openTracingSpanContext: '1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:0' },
      });
      const handler = tracedHandler(async () => trace.getActiveSpan()?.spanContext().traceFlags, {
        tracerProvider: tracing.provider,
      });
      expect(await handler(Buffer.alloc(0), context)).toBe(TraceFlags.NONE);
      await tracing.provider.forceFlush();
      expect(tracing.spans()).toHaveLength(0);
    });

    it('records the invocation under the same parent with forceSample', async () => {
      const context = fcContext({
        tracing: { openTracingSpanContext: '1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:0' },
      });
      const handler = tracedHandler(async () => 1, { tracerProvider: tracing.provider, forceSample: true });
      await handler(Buffer.alloc(0), context);
      const [span] = tracing.named('orders-fn');
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    });
  });

  describe('when fcContextPolicy is set', () => {
    it("'link' starts a new trace linked to FC's span", async () => {
      const handler = tracedHandler(async () => 1, {
        tracerProvider: tracing.provider,
        fcContextPolicy: 'link',
      });
      await handler(Buffer.alloc(0), fcContext());
      const [span] = tracing.named('orders-fn');
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(PADDED_FC_TRACE_ID);
      expect(span.links.map((link) => link.context.spanId)).toEqual([FC_SPAN_ID]);
    });

    it("'ignore' starts a new trace without a link", async () => {
      const handler = tracedHandler(async () => 1, {
        tracerProvider: tracing.provider,
        fcContextPolicy: 'ignore',
      });
      await handler(Buffer.alloc(0), fcContext());
      const [span] = tracing.named('orders-fn');
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.links).toEqual([]);
    });
  });

  describe('when the event is an FC 3.0 HTTP-trigger event with upstream trace headers', () => {
    const upstreamTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const upstreamSpan = '00f067aa0ba902b7';
    const event = Buffer.from(
      JSON.stringify({
        version: 'v1',
        rawPath: '/pay',
        headers: { Traceparent: `00-${upstreamTrace}-${upstreamSpan}-01` },
        body: '',
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', path: '/pay' }, requestId: 'r' },
      }),
    );

    it("records the upstream span as a link, keeps FC's span as parent, and marks the trigger http", async () => {
      const handler = tracedHandler(async () => ({ statusCode: 201, body: 'ok' }), {
        tracerProvider: tracing.provider,
      });
      await handler(event, fcContext());
      const [span] = tracing.named('orders-fn');
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.links.map((link) => link.context.traceId)).toEqual([upstreamTrace]);
      expect(span.attributes).toMatchObject({
        'faas.trigger': 'http',
        'http.request.method': 'POST',
        'url.path': '/pay',
        'http.response.status_code': 201,
      });
    });

    it.each([
      ['uber-trace-id', { 'uber-trace-id': `${upstreamTrace}:${upstreamSpan}:0:1` }],
      ['b3', { b3: `${upstreamTrace}-${upstreamSpan}-1` }],
    ])('records an upstream %s header of the event as a link too', async (_name, headers) => {
      const handler = tracedHandler(async () => ({ statusCode: 200 }), { tracerProvider: tracing.provider });
      const withHeaders = Buffer.from(JSON.stringify({ ...JSON.parse(event.toString()), headers }));
      await handler(withHeaders, fcContext());
      const [span] = tracing.named('orders-fn');
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
        [upstreamTrace, upstreamSpan],
      ]);
    });

    it('uses the upstream span as parent when FC gave none', async () => {
      const handler = tracedHandler(async () => ({ statusCode: 503 }), { tracerProvider: tracing.provider });
      await handler(event, fcContext({ tracing: { openTracingSpanBaggages: {} } }));
      const [span] = tracing.named('orders-fn');
      expect(span.spanContext().traceId).toBe(upstreamTrace);
      expect(span.parentSpanContext?.spanId).toBe(upstreamSpan);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  describe('when 100 invocations interleave in one instance', () => {
    it('puts every span under its own invocation, without cross-talk', async () => {
      const repository = new OrderRepository();
      const handler = tracedHandler(
        async (event: Buffer) => {
          const id = event.toString();
          await new Promise((resolve) => setTimeout(resolve, Number(id) % 7));
          const loaded = await repository.load(id);
          await new Promise((resolve) => setImmediate(resolve));
          return { id, loaded, traceId: trace.getActiveSpan()?.spanContext().traceId };
        },
        { tracerProvider: tracing.provider },
      );
      const contexts = Array.from({ length: 100 }, (_, i) =>
        fcContext({
          tracing: { openTracingSpanContext: `${(i + 1).toString(16)}:${(i + 1000).toString(16)}:0:1` },
        }),
      );
      const results = await Promise.all(
        contexts.map((context, i) => handler(Buffer.from(String(i)), context)),
      );

      results.forEach((result, i) => {
        expect(result.loaded).toBe(`order-${i}`);
        expect(result.traceId).toBe((i + 1).toString(16).padStart(32, '0'));
      });
      const invocations = tracing.named('orders-fn');
      const children = tracing.named('OrderRepository.load');
      expect(invocations).toHaveLength(100);
      expect(children).toHaveLength(100);
      for (const invocation of invocations) {
        const trace = invocation.spanContext().traceId;
        const i = parseInt(trace, 16) - 1;
        expect(invocation.parentSpanContext?.spanId).toBe((i + 1000).toString(16).padStart(16, '0'));
        const own = children.filter((child) => child.spanContext().traceId === trace);
        expect(own).toHaveLength(1);
        expect(own[0].parentSpanContext?.spanId).toBe(invocation.spanContext().spanId);
      }
    });
  });
});
