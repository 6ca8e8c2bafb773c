import { initTracerFromEnv, jaegerEnvConfig } from '@tracery/opentracing';
import { captureDiag } from '../../../../test/support/captureDiag';
import { startFakeJaegerCollector } from '../../../../test/support/fakeJaegerCollector';

describe('jaegerEnvConfig', () => {
  const fromEnv = (env: NodeJS.ProcessEnv, config = {}, options = {}) =>
    jaegerEnvConfig(config, options, env);

  it('reads every JAEGER_* setting jaeger-client reads', () => {
    expect(
      fromEnv({
        JAEGER_SERVICE_NAME: 'orders',
        JAEGER_SAMPLER_TYPE: 'remote',
        JAEGER_SAMPLER_PARAM: '0.25',
        JAEGER_SAMPLER_MANAGER_HOST_PORT: 'jaeger-agent:5778',
        JAEGER_SAMPLER_HOST: 'agent-host',
        JAEGER_SAMPLER_PORT: '5779',
        JAEGER_SAMPLER_REFRESH_INTERVAL: '30000',
        JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
        JAEGER_USER: 'ingest',
        JAEGER_PASSWORD: 's3cret',
        JAEGER_AGENT_HOST: 'jaeger-agent',
        JAEGER_AGENT_PORT: '6831',
        JAEGER_REPORTER_LOG_SPANS: 'true',
        JAEGER_REPORTER_FLUSH_INTERVAL: '500',
        JAEGER_REPORTER_TIMEOUT: '2000',
        JAEGER_TAGS: 'team=payments, region = eu-west-1',
      }),
    ).toEqual({
      config: {
        disable: false,
        serviceName: 'orders',
        sampler: {
          type: 'remote',
          param: 0.25,
          hostPort: 'jaeger-agent:5778',
          host: 'agent-host',
          port: 5779,
          refreshIntervalMs: 30000,
        },
        reporter: {
          collectorEndpoint: 'http://jaeger:14268/api/traces',
          username: 'ingest',
          password: 's3cret',
          agentHost: 'jaeger-agent',
          agentPort: 6831,
          logSpans: true,
          flushIntervalMs: 500,
          timeoutMs: 2000,
        },
      },
      options: { tags: { team: 'payments', region: 'eu-west-1' } },
    });
  });

  it('lets each setting present in config win over its variable, filling in the others', () => {
    const { config } = fromEnv(
      { JAEGER_SERVICE_NAME: 'from-env', JAEGER_SAMPLER_TYPE: 'probabilistic', JAEGER_SAMPLER_PARAM: '0.5' },
      { serviceName: 'orders', sampler: { type: 'const' } },
    );
    expect(config).toMatchObject({ serviceName: 'orders', sampler: { type: 'const', param: 0.5 } });
  });

  it('reads JAEGER_TAGS only when options.tags is absent', () => {
    expect(fromEnv({ JAEGER_TAGS: 'a=1' }, {}, { tags: { b: 2 } }).options.tags).toEqual({ b: 2 });
  });

  it('fills ${VAR} and ${VAR:default} in JAEGER_TAGS from the environment', () => {
    expect(
      fromEnv({ JAEGER_TAGS: 'pod=${POD_NAME},zone=${ZONE:unknown},node=${NODE:}', POD_NAME: 'orders-7f' })
        .options.tags,
    ).toEqual({ pod: 'orders-7f', zone: 'unknown', node: '' });
  });

  it('skips a JAEGER_TAGS entry that is not key=value (reported once), where jaeger-client threw', () => {
    const diagnostics = captureDiag();
    expect(fromEnv({ JAEGER_TAGS: 'a=1,oops,b=2' }).options.tags).toEqual({ a: '1', b: '2' });
    diagnostics.restore();
    expect(diagnostics.including('JAEGER_TAGS')).toHaveLength(1);
  });

  it('disables the tracer only for JAEGER_DISABLED=true (or the deprecated JAEGER_DISABLE=true)', () => {
    expect(fromEnv({ JAEGER_DISABLED: 'true' }).config.disable).toBe(true);
    expect(fromEnv({ JAEGER_DISABLE: 'true' }).config.disable).toBe(true);
    expect(fromEnv({ JAEGER_DISABLED: 'yes' }).config.disable).toBe(false);
  });

  it("reads JAEGER_REPORTER_LOG_SPANS=false as false (jaeger-client's Boolean('false') was true)", () => {
    expect(fromEnv({ JAEGER_REPORTER_LOG_SPANS: 'false' }).config.reporter).toEqual({ logSpans: false });
  });

  it('reads JAEGER_REPORTER_LOG_SPANS=1 as true, and a word it does not know as false, reported once by name', () => {
    expect(fromEnv({ JAEGER_REPORTER_LOG_SPANS: '1' }).config.reporter).toEqual({ logSpans: true });
    const diagnostics = captureDiag();
    const reporter = fromEnv({ JAEGER_REPORTER_LOG_SPANS: 'yes' }).config.reporter;
    fromEnv({ JAEGER_REPORTER_LOG_SPANS: 'yes' });
    diagnostics.restore();
    expect(reporter?.logSpans).not.toBe(true);
    expect(diagnostics.including('JAEGER_REPORTER_LOG_SPANS')).toHaveLength(1);
  });

  it('falls back to the deprecated JAEGER_REPORTER_* names', () => {
    expect(
      fromEnv({ JAEGER_REPORTER_ENDPOINT: 'http://old:14268/api/traces', JAEGER_REPORTER_AGENT_PORT: '6831' })
        .config.reporter,
    ).toEqual({ collectorEndpoint: 'http://old:14268/api/traces', agentPort: 6831 });
  });

  it('ignores a number that is not one (reported once, naming the variable, never a value of JAEGER_PASSWORD)', () => {
    const diagnostics = captureDiag();
    const { config } = fromEnv({
      JAEGER_AGENT_PORT: '68x1',
      JAEGER_SAMPLER_PARAM: 'half',
      JAEGER_PASSWORD: 'pw-1',
    });
    diagnostics.restore();
    expect(config.reporter).toEqual({ password: 'pw-1' });
    expect(config.sampler).toBeUndefined();
    expect(
      diagnostics.including("JAEGER_AGENT_PORT must be a whole number, got '68x1'; ignored"),
    ).toHaveLength(1);
    expect(diagnostics.including("JAEGER_SAMPLER_PARAM must be a number, got 'half'; ignored")).toHaveLength(
      1,
    );
    expect(diagnostics.text()).not.toContain('pw-1');
  });

  it('leaves the config and options it is given unchanged', () => {
    const config = { sampler: { type: 'const' as const } };
    const options = {};
    fromEnv(
      { JAEGER_SERVICE_NAME: 'orders', JAEGER_SAMPLER_PARAM: '1', JAEGER_TAGS: 'a=1' },
      config,
      options,
    );
    expect(config).toEqual({ sampler: { type: 'const' } });
    expect(options).toEqual({});
  });
});

describe('initTracerFromEnv', () => {
  const saved = { ...process.env };

  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('JAEGER_')) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('builds the tracer the JAEGER_* variables describe', async () => {
    const collector = await startFakeJaegerCollector();
    Object.assign(process.env, {
      JAEGER_SERVICE_NAME: 'billing',
      JAEGER_ENDPOINT: collector.url,
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
      JAEGER_TAGS: 'team=payments',
    });
    const tracer = initTracerFromEnv();
    tracer.startSpan('charge').finish();
    await tracer.close();
    await collector.close();
    expect(collector.batches).toHaveLength(1);
    expect(collector.batches[0]).toMatchObject({ serviceName: 'billing', processTags: { team: 'payments' } });
    expect(collector.batches[0].spans[0]).toMatchObject({
      operationName: 'charge',
      tags: { 'sampler.type': 'const', 'sampler.param': true },
    });
  });
});
