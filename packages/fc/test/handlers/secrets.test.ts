import { trace } from '@opentelemetry/api';
import { encodedForms } from '@tracery/commons';
import { Traced } from '@tracery/core';
import { tracedHandler, tracedHttpHandler, type FcCallback, type FcContext } from '../../src';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';
import { fcContext, FC_SPAN_CONTEXT, SECRET_ACCESS_KEY, SECRET_SECURITY_TOKEN } from '../helpers/fcContexts';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

// A fresh instance whose first export fails against a tokenised endpoint: the faults it reports are the first of
// the process, so every message they produce is checked here.
const TOKEN = 'AdaptT0kenNeverLogged';

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe('tracedHandler', () => {
  let collector: FakeJaegerCollector;
  let diagCapture: DiagCapture;
  beforeAll(async () => {
    diagCapture = captureDiag();
    collector = await startFakeJaegerCollector();
  });
  afterAll(async () => {
    await collector.close();
    resetOpenTelemetry();
  });

  const context = (spanContext: string): FcContext =>
    fcContext({
      tracing: {
        openTracingSpanContext: spanContext,
        openTracingSpanBaggages: {},
        jaegerEndpoint: collector.urlWithToken(TOKEN),
      },
    });

  describe('when the collector URL carries a token and the export fails', () => {
    it('reports the failure through diag without the token or the credentials', async () => {
      collector.setBehaviour('status500');
      await tracedHandler(async () => 'ok', { flushTimeoutMs: 1000 })(
        Buffer.alloc(0),
        context(FC_SPAN_CONTEXT),
      );
      collector.setBehaviour('hang');
      await tracedHandler(async () => 'ok', { flushTimeoutMs: 200 })(
        Buffer.alloc(0),
        context(FC_SPAN_CONTEXT),
      );

      expect(
        diagCapture.messages.some((m) => /export failed \(.*the collector answered HTTP 500\)/.test(m.text)),
      ).toBe(true);
      expect(
        diagCapture.messages.some((m) => m.text.includes('@tracery/fc: spans were not exported within')),
      ).toBe(true);
      const logged = diagCapture.text();
      for (const secret of [TOKEN, SECRET_ACCESS_KEY, SECRET_SECURITY_TOKEN])
        expect(logged).not.toContain(secret);
    });
  });

  describe("when the handler's error quotes the secrets", () => {
    it('hands the error back unchanged but records it with the secrets masked', async () => {
      collector.setBehaviour('accept');
      const endpoint = collector.urlWithToken(TOKEN);
      const failure = new Error(
        `signing with ${SECRET_ACCESS_KEY} (token ${SECRET_SECURITY_TOKEN}) for ${endpoint}`,
      );
      const handler = tracedHandler(async () => {
        throw failure;
      });
      await expect(handler(Buffer.alloc(0), context('5ec:1:0:1'))).rejects.toBe(failure);
      expect(failure.message).toContain(SECRET_ACCESS_KEY);

      const [span] = collector.spans().filter((s) => s.traceId.endsWith('5ec'));
      const recorded = json(span);
      expect(recorded).toContain('signing with ***');
      for (const secret of [TOKEN, SECRET_ACCESS_KEY, SECRET_SECURITY_TOKEN])
        expect(recorded).not.toContain(secret);
      expect(json(collector.batches)).not.toContain(TOKEN);
    });
  });

  describe('when a later invocation of the instance gets other credentials and another endpoint token', () => {
    it("masks the new ones in that invocation's spans", async () => {
      collector.setBehaviour('accept');
      const handler = tracedHandler(async (_event: Buffer, fcCtx: FcContext) => {
        throw new Error(
          `signing with ${fcCtx.credentials?.accessKeySecret} at ${fcCtx.tracing?.jaegerEndpoint}`,
        );
      });
      const rotated = {
        accessKeyId: 'RotatedKeyId-77aa',
        accessKeySecret: 'RotatedSecret-91bc',
        securityToken: 'RotatedToken-03de',
      };
      const endpoint = collector.urlWithToken('RotatedAdaptToken42');
      await expect(handler(Buffer.alloc(0), context('a0:1:0:1'))).rejects.toThrow('signing');
      await expect(
        handler(
          Buffer.alloc(0),
          fcContext({
            credentials: rotated,
            tracing: {
              openTracingSpanContext: 'a1:1:0:1',
              openTracingSpanBaggages: {},
              jaegerEndpoint: endpoint,
            },
          }),
        ),
      ).rejects.toThrow('signing');

      const [span] = collector.spans().filter((s) => s.traceId.endsWith('00a1'));
      const recorded = json(span);
      expect(recorded).toContain('signing with ***');
      for (const secret of [rotated.accessKeySecret, 'RotatedAdaptToken42'])
        expect(recorded).not.toContain(secret);
    });
  });

  describe('when spans of the invocation quote the secrets, in any encoding', () => {
    it('exports every span, the children too, with them masked in every field', async () => {
      collector.setBehaviour('accept');
      const endpoint = collector.urlWithToken(TOKEN);
      const basic = Buffer.from(`AKID-TEST-1234:${SECRET_ACCESS_KEY}`).toString('base64');
      class Signer {
        @Traced()
        async sign(): Promise<void> {
          const error = new Error(
            `dependency said: AccessKeyId AKID-TEST-1234 / AccessKeySecret ${SECRET_ACCESS_KEY} rejected`,
          );
          error.name = `SignatureMismatch[${SECRET_SECURITY_TOKEN}]`;
          throw error;
        }

        @Traced()
        async call(): Promise<void> {
          trace.getActiveSpan()?.setAttribute('http.request.header.authorization', `Basic ${basic}`);
          trace.getActiveSpan()?.addEvent(`retry with ${encodeURIComponent(SECRET_SECURITY_TOKEN)}`, {
            url: `${endpoint}?SecurityToken=${encodeURIComponent(SECRET_SECURITY_TOKEN)}`,
            body: JSON.stringify({ secret: SECRET_ACCESS_KEY }),
          });
        }
      }
      const signer = new Signer();
      const failure = new Error(
        `upload to ${endpoint}?token=${encodeURIComponent(SECRET_SECURITY_TOKEN)} failed`,
      );
      failure.name = `Upload(${SECRET_ACCESS_KEY})`;
      const handler = tracedHandler(async () => {
        await signer.call();
        await signer.sign().catch(() => undefined);
        throw failure;
      });
      await expect(handler(Buffer.alloc(0), context('5ec2:1:0:1'))).rejects.toBe(failure);

      const spans = collector.spans().filter((s) => s.traceId.endsWith('5ec2'));
      expect(spans.map((s) => s.operationName).sort()).toEqual(['Signer.call', 'Signer.sign', 'orders-fn']);
      const exported = json(spans);
      for (const secret of [TOKEN, SECRET_ACCESS_KEY, SECRET_SECURITY_TOKEN, endpoint]) {
        for (const form of encodedForms(secret)) expect(exported).not.toContain(form);
      }
      expect(exported).not.toContain(basic);
      expect(exported).toContain('SignatureMismatch[***]');
      // The error handed back is the user's own, unchanged.
      expect(failure.name).toBe(`Upload(${SECRET_ACCESS_KEY})`);
    });
  });

  describe('when only the environment holds the credentials (ALIBABA_CLOUD_* variables)', () => {
    const ENV_SECRET = 'EnvAccessKeySecret-93kd';
    const ENV_TOKEN = 'EnvSecurityToken-5x7q';
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it('masks their values in the recorded error as well', async () => {
      process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'EnvAccessKeyId-0a1b';
      process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = ENV_SECRET;
      process.env.ALIBABA_CLOUD_SECURITY_TOKEN = ENV_TOKEN;
      collector.setBehaviour('accept');
      const failure = new Error(`signing with ${ENV_SECRET} and ${ENV_TOKEN} as EnvAccessKeyId-0a1b`);
      const handler = tracedHandler(async () => {
        throw failure;
      });
      const noCredentials = { ...context('e5ec:1:0:1'), credentials: undefined };
      await expect(handler(Buffer.alloc(0), noCredentials)).rejects.toBe(failure);

      const [span] = collector.spans().filter((s) => s.traceId.endsWith('e5ec'));
      const recorded = json(span);
      expect(recorded).toContain('signing with ***');
      for (const secret of [ENV_SECRET, ENV_TOKEN, 'EnvAccessKeyId-0a1b'])
        expect(recorded).not.toContain(secret);
      expect(diagCapture.text()).not.toContain(ENV_SECRET);
    });
  });

  describe("when FC's own callback throws, quoting the endpoint and the credentials", () => {
    it('keeps the throw from the function, and reports it once through diag without the secrets', async () => {
      collector.setBehaviour('accept');
      const endpoint = collector.urlWithToken(TOKEN);
      const handler = tracedHandler((_event: Buffer, _context: FcContext, callback: FcCallback) =>
        callback(null, 'done'),
      );
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        for (let i = 0; i < 2; i++) {
          await new Promise<void>((resolve) =>
            handler(Buffer.alloc(0), context(FC_SPAN_CONTEXT), () => {
              setImmediate(resolve);
              throw new Error(`runtime lost ${endpoint} while signing with ${SECRET_SECURITY_TOKEN}`);
            }),
          );
        }
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }

      expect(unhandled).toEqual([]);
      const reports = diagCapture.including("FC's callback threw");
      expect(reports).toHaveLength(1);
      expect(reports[0].text).toContain('runtime lost');
      for (const secret of [TOKEN, SECRET_SECURITY_TOKEN]) expect(reports[0].text).not.toContain(secret);
    });
  });

  describe('when resp.send throws, quoting the endpoint and the credentials', () => {
    it('reports it through diag without the secrets', async () => {
      collector.setBehaviour('accept');
      const endpoint = collector.urlWithToken(TOKEN);
      let sent!: () => void;
      const sending = new Promise<void>((resolve) => (sent = resolve));
      const response = {
        setStatusCode: () => undefined,
        setHeader: () => undefined,
        send: () => {
          setImmediate(sent);
          throw new Error(`socket to ${endpoint} closed, token ${SECRET_SECURITY_TOKEN}`);
        },
      };
      const handler = tracedHttpHandler((_req, resp: typeof response) => resp.send());
      handler({ headers: {} }, response, context(FC_SPAN_CONTEXT));
      await sending;

      const reports = diagCapture.including('resp.send threw');
      expect(reports).toHaveLength(1);
      expect(reports[0].text).toContain('closed, token ***');
      for (const secret of [TOKEN, SECRET_SECURITY_TOKEN]) expect(reports[0].text).not.toContain(secret);
    });
  });
});
