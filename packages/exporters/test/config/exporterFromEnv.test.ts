import { ExportResultCode } from '@opentelemetry/core';
import { exporterFromEnv, ExporterConfigError } from '@tracery/exporters';
import { startFakeJaegerCollector } from '../../../../test/support/fakeJaegerCollector';
import { startFakeOtlpCollector, type FakeOtlpCollector } from '../../../../test/support/fakeOtlpCollector';
import { startFakeZipkinCollector } from '../../../../test/support/fakeZipkinCollector';
import { ConsoleWaterfallExporter } from '../../src/console/ConsoleWaterfallExporter';
import { exporterConfigsFromEnv } from '../../src/config/exporterFromEnv';
import { FanOutSpanExporter } from '../../src/fanout/FanOutSpanExporter';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';
import { thrownBy } from '../support/thrownBy';
import { captureDiag } from '../../../../test/support/captureDiag';

const SECRET = 'envSECRETvalue_123';

/** Exports the sample trace through `exporterFromEnv(env)` and shuts the exporter down. */
async function exportWith(env: NodeJS.ProcessEnv): Promise<number> {
  const exporter = exporterFromEnv(env);
  const result = await exportOnce(exporter, recordSampleTrace());
  await exporter.shutdown();
  return result.code;
}

describe(exporterFromEnv, () => {
  describe('when nothing is set', () => {
    it('chooses otlp (the OpenTelemetry default), to the default URL', () => {
      expect(exporterConfigsFromEnv({})).toEqual([{ kind: 'otlp' }]);
    });
  });

  describe('when OTLP variables are set', () => {
    let collector: FakeOtlpCollector;
    beforeEach(async () => {
      collector = await startFakeOtlpCollector();
    });
    afterEach(async () => {
      await collector.close();
    });

    it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
      expect(await exportWith({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl })).toBe(
        ExportResultCode.SUCCESS,
      );
      expect(collector.requests.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(collector.spans).toHaveLength(3);
    });

    it('keeps a base path of OTEL_EXPORTER_OTLP_ENDPOINT, with or without a trailing slash', async () => {
      await exportWith({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.baseUrl}/otel/` });
      await exportWith({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.baseUrl}/otel` });
      expect(collector.requests.map((r) => r.path)).toEqual(['/otel/v1/traces', '/otel/v1/traces']);
    });

    it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, over the generic endpoint', async () => {
      await exportWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/never',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.baseUrl}/adapt_${SECRET}/api/otlp/traces`,
      });
      expect(collector.requests.map((r) => r.path)).toEqual([`/adapt_${SECRET}/api/otlp/traces`]);
    });

    it('sends the headers, URL-decoded, traces-specific ones overriding generic ones key by key', async () => {
      await exportWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=generic, Authentication=generic-token',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'Authentication=Bearer%20abc%3D%3D,x-extra=1',
      });
      expect(collector.requests[0].headers).toMatchObject({
        'x-tenant': 'generic',
        authentication: 'Bearer abc==',
        'x-extra': '1',
      });
    });

    it('uses the protocol and compression, traces-specific over generic', async () => {
      await exportWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      });
      expect(collector.requests[0]).toMatchObject({ encoding: 'json', gzip: true });
      expect(collector.spans).toHaveLength(3);
    });

    it('reads the timeout in milliseconds, traces-specific over generic', () => {
      expect(exporterConfigsFromEnv({ OTEL_EXPORTER_OTLP_TIMEOUT: '2500' })).toEqual([
        { kind: 'otlp', timeoutMs: 2500 },
      ]);
      expect(
        exporterConfigsFromEnv({
          OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
          OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '700',
        }),
      ).toEqual([{ kind: 'otlp', timeoutMs: 700 }]);
    });
  });

  describe('when OTEL_TRACES_EXPORTER is jaeger', () => {
    it('sends Thrift over HTTP to OTEL_EXPORTER_JAEGER_ENDPOINT with basic auth from _USER/_PASSWORD', async () => {
      const collector = await startFakeJaegerCollector();
      try {
        const code = await exportWith({
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_EXPORTER_JAEGER_ENDPOINT: collector.url,
          OTEL_EXPORTER_JAEGER_USER: 'alice',
          OTEL_EXPORTER_JAEGER_PASSWORD: SECRET,
        });
        expect(code).toBe(ExportResultCode.SUCCESS);
        expect(
          collector
            .spans()
            .map((s) => s.operationName)
            .sort(),
        ).toEqual(['charge', 'checkout', 'http.request']);
        expect(collector.requests[0].headers.authorization).toBe(
          `Basic ${Buffer.from(`alice:${SECRET}`).toString('base64')}`,
        );
      } finally {
        await collector.close();
      }
    });

    it('uses the agent when only _AGENT_HOST/_AGENT_PORT are set', () => {
      expect(
        exporterConfigsFromEnv({
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_EXPORTER_JAEGER_AGENT_HOST: 'jaeger-agent',
          OTEL_EXPORTER_JAEGER_AGENT_PORT: '6832',
        }),
      ).toEqual([{ kind: 'jaeger', agent: { host: 'jaeger-agent', port: 6832 } }]);
    });

    it('prefers the collector endpoint over the agent settings', () => {
      expect(
        exporterConfigsFromEnv({
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
          OTEL_EXPORTER_JAEGER_AGENT_HOST: 'jaeger-agent',
          OTEL_EXPORTER_JAEGER_TIMEOUT: '3000',
        }),
      ).toEqual([{ kind: 'jaeger', endpoint: 'http://jaeger:14268/api/traces', timeoutMs: 3000 }]);
    });

    it('leaves the endpoint to the Jaeger exporter default when nothing else is set', () => {
      expect(exporterConfigsFromEnv({ OTEL_TRACES_EXPORTER: 'jaeger' })).toEqual([{ kind: 'jaeger' }]);
    });
  });

  describe('when OTEL_TRACES_EXPORTER is zipkin', () => {
    it('sends to OTEL_EXPORTER_ZIPKIN_ENDPOINT', async () => {
      const collector = await startFakeZipkinCollector();
      try {
        expect(
          await exportWith({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.url }),
        ).toBe(ExportResultCode.SUCCESS);
        expect(collector.spans).toHaveLength(3);
      } finally {
        await collector.close();
      }
    });
  });

  describe('when OTEL_TRACES_EXPORTER is console or none', () => {
    it('builds the console waterfall exporter for console', () => {
      expect(exporterFromEnv({ OTEL_TRACES_EXPORTER: 'console' })).toBeInstanceOf(ConsoleWaterfallExporter);
    });

    it('builds an exporter that drops everything for none', async () => {
      expect(exporterConfigsFromEnv({ OTEL_TRACES_EXPORTER: ' NONE ' })).toEqual([{ kind: 'none' }]);
      expect(await exportWith({ OTEL_TRACES_EXPORTER: 'none' })).toBe(ExportResultCode.SUCCESS);
    });
  });

  describe('when OTEL_TRACES_EXPORTER lists several', () => {
    it('fans out to each, ignoring blanks and duplicates', async () => {
      const otlp = await startFakeOtlpCollector();
      const zipkin = await startFakeZipkinCollector();
      try {
        const env = {
          OTEL_TRACES_EXPORTER: 'otlp, zipkin,,otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.baseUrl,
          OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.url,
        };
        expect(exporterFromEnv(env)).toBeInstanceOf(FanOutSpanExporter);
        expect(await exportWith(env)).toBe(ExportResultCode.SUCCESS);
        expect(otlp.spans).toHaveLength(3);
        expect(zipkin.spans).toHaveLength(3);
      } finally {
        await otlp.close();
        await zipkin.close();
      }
    });
  });

  describe('when a value is bad', () => {
    it.each<[NodeJS.ProcessEnv, string, RegExp]>([
      [
        { OTEL_TRACES_EXPORTER: 'logging' },
        'OTEL_TRACES_EXPORTER',
        /unknown exporter 'logging' \(known: otlp, jaeger, zipkin, console, none\)/,
      ],
      [{ OTEL_TRACES_EXPORTER: 'none,otlp' }, 'OTEL_TRACES_EXPORTER', /'none' cannot be combined/],
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' },
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        /must be an http:\/\/ or https:\/\/ URL/,
      ],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '::' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', /must be an http/],
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL', /'grpc' is not supported/],
      [
        { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' },
        'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
        /must be 'http\/protobuf' or 'http\/json', got 'http\/xml'/,
      ],
      [
        { OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' },
        'OTEL_EXPORTER_OTLP_COMPRESSION',
        /must be 'gzip' or 'none', got 'zstd'/,
      ],
      [
        { OTEL_EXPORTER_OTLP_HEADERS: 'a=1,justakey' },
        'OTEL_EXPORTER_OTLP_HEADERS',
        /entry 2 is not key=value/,
      ],
      [
        { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=%E0%A4%A' },
        'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
        /entry 1 has invalid %-encoding/,
      ],
      [
        { OTEL_EXPORTER_OTLP_HEADERS: 'bad key=1' },
        'OTEL_EXPORTER_OTLP_HEADERS',
        /entry 1 has a key that is not a valid header name/,
      ],
      [
        { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: 'udp://x' },
        'OTEL_EXPORTER_JAEGER_ENDPOINT',
        /must be an http/,
      ],
      [
        { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_AGENT_PORT: '68310' },
        'OTEL_EXPORTER_JAEGER_AGENT_PORT',
        /port number from 1 to 65535, got '68310'/,
      ],
      [
        {
          OTEL_TRACES_EXPORTER: 'jaeger',
          OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://j/api/traces',
          OTEL_EXPORTER_JAEGER_PASSWORD: 'pw',
        },
        'OTEL_EXPORTER_JAEGER_USER',
        /must be set when OTEL_EXPORTER_JAEGER_PASSWORD is/,
      ],
      [
        { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'nope' },
        'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
        /must be an http/,
      ],
    ])('throws naming the variable: %j', (env, variable, message) => {
      const error = thrownBy(() => exporterFromEnv(env));
      expect(error).toBeInstanceOf(ExporterConfigError);
      expect((error as ExporterConfigError).setting).toBe(variable);
      expect(error.message).toContain(variable);
      expect(error.message).toMatch(message);
    });

    // A malformed timeout must not stop tracing: the default is used, and the variable named once (once per
    // process: each case names another variable).
    it.each<[NodeJS.ProcessEnv, string, string]>([
      [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '0' }, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', "got '0'"],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: '1e12' }, 'OTEL_EXPORTER_OTLP_TIMEOUT', "got '1e12'"],
      [
        { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_TIMEOUT: '-5' },
        'OTEL_EXPORTER_JAEGER_TIMEOUT',
        "got '-5'",
      ],
      [
        { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_TIMEOUT: '0.5' },
        'OTEL_EXPORTER_ZIPKIN_TIMEOUT',
        "got '0.5'",
      ],
    ])(
      'uses the default 10000 ms for a bad timeout and names the variable once: %j',
      (env, variable, got) => {
        const diagCapture = captureDiag();
        try {
          const configs = [exporterConfigsFromEnv(env), exporterConfigsFromEnv(env)];
          for (const [config] of configs) expect(config).toMatchObject({ timeoutMs: 10_000 });
          const lines = diagCapture.including(variable);
          expect(lines).toHaveLength(1);
          expect(lines[0].text).toContain(got);
          expect(lines[0].text).toContain('using the default 10000');
        } finally {
          diagCapture.restore();
        }
      },
    );

    it.each<NodeJS.ProcessEnv>([
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `tcp://collector/adapt_${SECRET}/api/otlp/traces` },
      { OTEL_EXPORTER_OTLP_ENDPOINT: `ftp://user:${SECRET}@collector` },
      { OTEL_EXPORTER_OTLP_HEADERS: `Authentication=${SECRET},broken` },
      { OTEL_EXPORTER_OTLP_HEADERS: `Authentication=${SECRET}%ZZ` },
      { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: `mailto:${SECRET}` },
      {
        OTEL_TRACES_EXPORTER: 'jaeger',
        OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://j/api/traces',
        OTEL_EXPORTER_JAEGER_PASSWORD: SECRET,
      },
    ])('never shows the secret: %#', (env) => {
      expect(thrownBy(() => exporterFromEnv(env)).message).not.toContain(SECRET);
    });
  });
});
