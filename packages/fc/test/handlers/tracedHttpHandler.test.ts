import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracedHttpHandler, type FcContext, type FcHttpRequest, type FcHttpResponse } from '../../src';
import { fcContext, FC_SPAN_ID, PADDED_FC_TRACE_ID } from '../helpers/fcContexts';
import { useMemoryTracing } from '../helpers/memoryTracing';

/** A stand-in for FC 2.0's response object: records what reaches it, and how many spans were exported then. */
class FakeResponse implements FcHttpResponse {
  [key: string]: unknown;
  statusCode = 200;
  sent: { body: unknown; exportedSpans: number }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  constructor(private readonly exported: () => number) {}
  setStatusCode(statusCode: number): void {
    this.statusCode = statusCode;
  }
  setHeader(): void {}
  send(body?: unknown): void {
    this.sent.push({ body, exportedSpans: this.exported() });
    for (const waiter of this.waiters.filter((w) => this.sent.length >= w.count)) waiter.resolve();
    this.waiters = this.waiters.filter((w) => this.sent.length < w.count);
  }
  /** Resolves once `count` sends have reached this response (the traced `send` passes one on after a flush). */
  sends(count = 1): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

const request = (headers: Record<string, string> = {}): FcHttpRequest => ({
  method: 'GET',
  path: '/hello',
  url: '/hello?x=1',
  clientIP: '10.0.0.1',
  headers,
});

describe('tracedHttpHandler', () => {
  const tracing = useMemoryTracing();

  describe('when the handler sends a response', () => {
    it('exports the span before resp.send passes the response on', async () => {
      const handler = tracedHttpHandler(
        (_req: FcHttpRequest, resp: FcHttpResponse, _context: FcContext) => {
          resp.setStatusCode?.(404);
          resp.send('not here');
        },
        { tracerProvider: tracing.provider },
      );
      const response = new FakeResponse(() => tracing.spans().length);
      handler(request(), response, fcContext());
      await response.sends(1);

      expect(response.sent).toEqual([{ body: 'not here', exportedSpans: 1 }]);
      expect(response.statusCode).toBe(404);
      const [span] = tracing.spans();
      expect(span.name).toBe('orders-fn');
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.spanContext().traceId).toBe(PADDED_FC_TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.attributes).toMatchObject({
        'faas.trigger': 'http',
        'http.request.method': 'GET',
        'url.path': '/hello',
        'http.response.status_code': 404,
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('marks 5xx responses as errors', async () => {
      const handler = tracedHttpHandler(
        (_req: FcHttpRequest, resp: FcHttpResponse) => {
          resp.setStatusCode?.(502);
          resp.send();
        },
        { tracerProvider: tracing.provider },
      );
      const response = new FakeResponse(() => tracing.spans().length);
      handler(request(), response, fcContext());
      await response.sends(1);
      expect(tracing.spans()[0].status.code).toBe(SpanStatusCode.ERROR);
    });

    it('passes a second send straight through without another span', async () => {
      const handler = tracedHttpHandler(
        (_req: FcHttpRequest, resp: FcHttpResponse) => {
          resp.send('one');
          resp.send('two');
        },
        { tracerProvider: tracing.provider },
      );
      const response = new FakeResponse(() => tracing.spans().length);
      handler(request(), response, fcContext());
      await response.sends(2);
      expect(response.sent.map((s) => s.body).sort()).toEqual(['one', 'two']);
      expect(tracing.spans()).toHaveLength(1);
    });
  });

  describe('when the request carries an upstream trace header', () => {
    it("links it and keeps FC's span as parent", async () => {
      const handler = tracedHttpHandler((_req: FcHttpRequest, resp: FcHttpResponse) => resp.send('ok'), {
        tracerProvider: tracing.provider,
      });
      const response = new FakeResponse(() => tracing.spans().length);
      handler(request({ 'uber-trace-id': 'abcdef:123456:0:1' }), response, fcContext());
      await response.sends(1);
      const [span] = tracing.spans();
      expect(span.parentSpanContext?.spanId).toBe(FC_SPAN_ID);
      expect(span.links.map((link) => link.context.spanId)).toEqual(['0000000000123456']);
    });
  });

  describe('when the handler fails', () => {
    it('rethrows a synchronous throw unchanged and records it', async () => {
      const failure = new Error('template missing');
      const handler = tracedHttpHandler(
        () => {
          throw failure;
        },
        { tracerProvider: tracing.provider },
      );
      expect(() => handler(request(), new FakeResponse(() => 0), fcContext())).toThrow(failure);
      await tracing.provider.forceFlush();
      expect(tracing.spans()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'template missing' });
    });

    it('rejects with the same error after the flush when an async handler rejects', async () => {
      const failure = new Error('db down');
      const handler = tracedHttpHandler(
        async () => {
          throw failure;
        },
        { tracerProvider: tracing.provider },
      );
      const returned = handler(request(), new FakeResponse(() => 0), fcContext()) as Promise<unknown>;
      await expect(returned).rejects.toBe(failure);
      expect(tracing.spans()).toHaveLength(1);
    });
  });
});
