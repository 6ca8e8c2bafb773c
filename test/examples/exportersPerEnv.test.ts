import { killChildren } from '../support/childProcess';
import { runExample } from '../support/examples';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';
import { startFakeOtlpCollector, type FakeOtlpCollector } from '../support/fakeOtlpCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

const SPAN_NAMES = ['ReportJob.fetchRows', 'ReportJob.render', 'report-job'];
const TOKEN = 'b5xk3p9q@2a7f61c0d93e4b8_b5xk3p9q@53df7ad2afe8301';

describe('examples/exporters-per-env', () => {
  let jaeger: FakeJaegerCollector;
  let otlp: FakeOtlpCollector;

  beforeAll(async () => {
    jaeger = await startFakeJaegerCollector();
    otlp = await startFakeOtlpCollector();
  });

  afterAll(async () => {
    await killChildren();
    await jaeger.close();
    await otlp.close();
  });

  describe('when TRACERY_ENV=development', () => {
    it('draws the job in the terminal and sends nothing', async () => {
      const before = { jaeger: jaeger.requests.length, otlp: otlp.requests.length };
      const run = await runExample('exporters-per-env', { env: { TRACERY_ENV: 'development' } });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^trace [0-9a-f]{32} · 3 spans · .* · service report-job$/m);
      expect(run.stdout).toMatch(
        /^├─ ReportJob\.fetchRows .*\n.*report\.day="2026-11-25"\n.*report\.rows=3$/m,
      );
      expect(run.stdout).toContain('exporter chosen by TRACERY_ENV=development');
      expect({ jaeger: jaeger.requests.length, otlp: otlp.requests.length }).toEqual(before);
    });
  });

  describe('when OTEL_TRACES_EXPORTER=otlp', () => {
    it('sends the job over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces', async () => {
      otlp.spans.length = 0;
      const run = await runExample('exporters-per-env', {
        env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.baseUrl },
      });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(otlp.requests.at(-1)!.path).toBe('/v1/traces');
      expect(otlp.spans.map((span) => span.name).sort()).toEqual(SPAN_NAMES);
      const root = otlp.spans.find((span) => span.name === 'report-job')!;
      expect(root.resource['service.name']).toBe('report-job');
      expect(otlp.spans.filter((span) => span.parentSpanId === root.spanId)).toHaveLength(2);
    });
  });

  describe('when OTEL_TRACES_EXPORTER=jaeger', () => {
    it('sends the job as Jaeger Thrift to OTEL_EXPORTER_JAEGER_ENDPOINT', async () => {
      const run = await runExample('exporters-per-env', {
        env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: jaeger.url },
      });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const batch = jaeger.batches.at(-1)!;
      expect(batch.serviceName).toBe('report-job');
      expect(batch.spans.map((span) => span.operationName).sort()).toEqual(SPAN_NAMES);
      const fetchRows = batch.spans.find((span) => span.operationName === 'ReportJob.fetchRows')!;
      expect(fetchRows.tags).toMatchObject({ 'report.day': '2026-11-25', 'report.rows': 3n });
    });
  });

  describe.each([
    { protocol: 'jaeger', path: `/adapt_${TOKEN}/api/traces` },
    { protocol: 'otlp', path: `/adapt_${TOKEN}/api/otlp/traces` },
  ])('when TRACERY_ENV=production with TRACING_ANALYSIS_PROTOCOL=$protocol', ({ protocol, path }) => {
    let run: Awaited<ReturnType<typeof runExample>>;
    let names: string[];

    beforeAll(async () => {
      const collector = protocol === 'jaeger' ? jaeger : otlp;
      const requestsBefore = collector.requests.length;
      run = await runExample('exporters-per-env', {
        env: {
          TRACERY_ENV: 'production',
          TRACING_ANALYSIS_REGION: 'cn-hangzhou',
          TRACING_ANALYSIS_TOKEN: TOKEN,
          TRACING_ANALYSIS_PROTOCOL: protocol,
          // The Tracing Analysis URL with its host replaced by the local stand-in.
          TRACING_ANALYSIS_ORIGIN: protocol === 'jaeger' ? new URL(jaeger.url).origin : otlp.baseUrl,
        },
      });
      const requests = collector.requests.slice(requestsBefore);
      expect(requests.map((request) => request.path)).toEqual([path]);
      names =
        protocol === 'jaeger'
          ? jaeger.batches.at(-1)!.spans.map((span) => span.operationName)
          : otlp.spans.slice(-3).map((span) => span.name);
    });

    it('sends the job to the Tracing Analysis path with the token in it', () => {
      expect(run.code).toBe(0);
      expect(names.sort()).toEqual(SPAN_NAMES);
    });

    it('never shows the token', () => {
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });
  });

  describe('when TRACERY_ENV=production without a valid token', () => {
    it('fails at start-up naming the setting, not the value', async () => {
      const run = await runExample('exporters-per-env', {
        env: {
          TRACERY_ENV: 'production',
          TRACING_ANALYSIS_REGION: 'cn-hangzhou',
          TRACING_ANALYSIS_TOKEN: 'no spaces allowed',
        },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('tracingAnalysis.token');
      expect(run.stderr).not.toContain('no spaces allowed');
    });
  });
});
