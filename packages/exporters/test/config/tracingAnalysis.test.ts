import { ExportResultCode } from '@opentelemetry/core';
import { createExporter, ExporterConfigError, redactUrl, tracingAnalysis } from '@tracery/exporters';
import { startFakeOtlpCollector } from '../../../../test/support/fakeOtlpCollector';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

const TOKEN = 'b590lhguqs@3a7ab2c71dc0e8a_b590lhguqs@53df7ad2afe8301';

describe(tracingAnalysis, () => {
  describe('when the protocol is jaeger', () => {
    it('gives the Thrift-over-HTTP endpoint with the token in the path', () => {
      expect(tracingAnalysis({ region: 'cn-hangzhou', token: TOKEN, protocol: 'jaeger' })).toEqual({
        kind: 'jaeger',
        endpoint: `http://tracing-analysis-dc-cn-hangzhou.aliyuncs.com/adapt_${TOKEN}/api/traces`,
      });
    });

    it('uses the -internal host when asked', () => {
      expect(
        tracingAnalysis({ region: 'ap-southeast-1', token: TOKEN, protocol: 'jaeger', internal: true }),
      ).toEqual({
        kind: 'jaeger',
        endpoint: `http://tracing-analysis-dc-ap-southeast-1-internal.aliyuncs.com/adapt_${TOKEN}/api/traces`,
      });
    });
  });

  describe('when the protocol is otlp', () => {
    it('gives the full OTLP/HTTP traces URL (not .../v1/traces)', () => {
      expect(tracingAnalysis({ region: 'cn-beijing', token: TOKEN, protocol: 'otlp' })).toEqual({
        kind: 'otlp',
        url: `http://tracing-analysis-dc-cn-beijing.aliyuncs.com/adapt_${TOKEN}/api/otlp/traces`,
        protocol: 'http/protobuf',
      });
    });

    it('gives a config createExporter accepts and that posts to /adapt_<token>/api/otlp/traces', async () => {
      const collector = await startFakeOtlpCollector();
      try {
        const config = tracingAnalysis({ region: 'cn-hangzhou', token: TOKEN, protocol: 'otlp' });
        // Same path, pointed at the fake collector instead of Alibaba Cloud.
        const url = new URL((config as { url: string }).url);
        const exporter = createExporter({
          ...config,
          kind: 'otlp',
          url: `${collector.baseUrl}${url.pathname}`,
        });
        expect((await exportOnce(exporter, recordSampleTrace())).code).toBe(ExportResultCode.SUCCESS);
        await exporter.shutdown();
        expect(collector.requests[0].path).toBe(`/adapt_${TOKEN}/api/otlp/traces`);
      } finally {
        await collector.close();
      }
    });
  });

  describe('when an endpoint it gives is shown', () => {
    it('redactUrl hides the token', () => {
      const { endpoint } = tracingAnalysis({ region: 'cn-hangzhou', token: TOKEN, protocol: 'jaeger' }) as {
        endpoint: string;
      };
      expect(redactUrl(endpoint)).toBe(
        'http://tracing-analysis-dc-cn-hangzhou.aliyuncs.com/adapt_***/api/traces',
      );
    });
  });

  describe('when an option is bad', () => {
    it.each<[string, object, RegExp]>([
      [
        'a region with a dot',
        { region: 'cn-hangzhou.evil.com', token: TOKEN, protocol: 'otlp' },
        /tracingAnalysis\.region: must be a region id/,
      ],
      ['an empty region', { region: '', token: TOKEN, protocol: 'otlp' }, /tracingAnalysis\.region/],
      [
        'a region in capitals',
        { region: 'CN-HANGZHOU', token: TOKEN, protocol: 'otlp' },
        /tracingAnalysis\.region/,
      ],
      [
        'a token with a slash',
        { region: 'cn-hangzhou', token: `${TOKEN}/../x`, protocol: 'otlp' },
        /tracingAnalysis\.token: must be 8 to 256 of/,
      ],
      [
        'a token with a space',
        { region: 'cn-hangzhou', token: `${TOKEN} `, protocol: 'jaeger' },
        /tracingAnalysis\.token/,
      ],
      [
        'a short token',
        { region: 'cn-hangzhou', token: 'abc', protocol: 'jaeger' },
        /tracingAnalysis\.token/,
      ],
      [
        'a token that is not a string',
        { region: 'cn-hangzhou', token: 42, protocol: 'jaeger' },
        /tracingAnalysis\.token: .*got a number/,
      ],
      [
        'an unknown protocol',
        { region: 'cn-hangzhou', token: TOKEN, protocol: 'zipkin' },
        /tracingAnalysis\.protocol: must be 'jaeger' or 'otlp'/,
      ],
      [
        'internal not a boolean',
        { region: 'cn-hangzhou', token: TOKEN, protocol: 'otlp', internal: 'yes' },
        /tracingAnalysis\.internal/,
      ],
    ])('throws naming the option for %s, never showing the token', (_label, options, message) => {
      let error: unknown;
      try {
        tracingAnalysis(options as never);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ExporterConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(TOKEN);
    });
  });
});
