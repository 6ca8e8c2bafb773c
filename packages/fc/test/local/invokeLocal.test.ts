import { invokeLocal, localContext, parseFcSpanContext, type FcCallback, type FcContext } from '../../src';

describe('invokeLocal', () => {
  describe('when the handler is async', () => {
    it('passes the event as FC does (a Buffer of JSON) and resolves with the result', async () => {
      const result = await invokeLocal(
        async (event: Buffer, context: FcContext) => ({
          body: JSON.parse(event.toString()),
          name: context.function?.name,
        }),
        { event: { id: 7 } },
      );
      expect(result).toEqual({ body: { id: 7 }, name: 'local-function' });
    });

    it('rejects with the same error', async () => {
      const failure = new Error('nope');
      await expect(
        invokeLocal(async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
    });
  });

  describe('when the handler is callback style', () => {
    it('resolves with callback(null, result)', async () => {
      const handler = (_event: Buffer, _context: FcContext, callback: FcCallback) =>
        setImmediate(() => callback(null, 'called back'));
      await expect(invokeLocal(handler, { event: 'raw' })).resolves.toBe('called back');
    });

    it('rejects with callback(err) and with a synchronous throw', async () => {
      const failure = new Error('cb');
      await expect(
        invokeLocal((_e: Buffer, _c: FcContext, callback: FcCallback) => callback(failure)),
      ).rejects.toBe(failure);
      await expect(
        invokeLocal((_e: Buffer, _c: FcContext, _callback: FcCallback) => {
          throw failure;
        }),
      ).rejects.toBe(failure);
    });
  });

  describe('when tracing is asked for', () => {
    it('builds an FC-shaped context with a fresh sampled span context of a fresh trace and the endpoint given', () => {
      const first = localContext({ tracing: { jaegerEndpoint: 'http://127.0.0.1:1/api/traces' } });
      const second = localContext({ tracing: {} });
      const parsed = parseFcSpanContext(first.tracing?.openTracingSpanContext);
      expect(parsed?.traceId.startsWith('0000000000000000')).toBe(true);
      expect(parsed?.traceFlags).toBe(1);
      expect(parseFcSpanContext(second.tracing?.openTracingSpanContext)?.traceId).not.toBe(parsed?.traceId);
      expect(first.tracing?.jaegerEndpoint).toBe('http://127.0.0.1:1/api/traces');
      expect(second.tracing).not.toHaveProperty('jaegerEndpoint');
      expect(first).toMatchObject({
        region: expect.any(String),
        accountId: expect.any(String),
        credentials: { accessKeyId: expect.any(String), accessKeySecret: expect.any(String) },
        function: { name: 'local-function', handler: 'index.handler', memory: 128, timeout: 60 },
      });
      expect(first.requestId).not.toBe(second.requestId);
    });

    it('makes an unsampled span context when sampled is false', () => {
      expect(localContext({ tracing: { sampled: false } }).tracing?.openTracingSpanContext).toMatch(/:0:0$/);
    });
  });

  describe('when tracing is not asked for', () => {
    it("gives FC's tracing-off shape", () => {
      expect(localContext().tracing).toEqual({ openTracingSpanBaggages: {} });
    });
  });

  describe('when context overrides are given', () => {
    it('merges function members and replaces the others', () => {
      const context = localContext({ context: { function: { name: 'mine' }, region: 'eu-central-1' } });
      expect(context.function).toMatchObject({ name: 'mine', memory: 128, timeout: 60 });
      expect(context.region).toBe('eu-central-1');
    });
  });
});
