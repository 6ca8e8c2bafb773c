import { choiceSetting, numberVariable } from '@tracery/commons';
import { opentracingReporter, reportOnce } from '../diagnostics/reportOnce';
import type { OpenTracingTracer } from '../tracer/OpenTracingTracer';
import { initTracer } from './initTracer';
import type { JaegerConfig, JaegerOptions, JaegerReporterConfig, JaegerSamplerConfig } from './types';

/**
 * jaeger-client's `initTracerFromEnv(config, options)`: `initTracer` with the `JAEGER_*` environment
 * variables filling in every setting that `config` (or `options.tags`) leaves out, read as jaeger-client
 * reads them (see `jaegerEnvConfig`). The arguments are not modified.
 *
 * @example
 * // JAEGER_SERVICE_NAME=orders JAEGER_ENDPOINT=http://jaeger:14268/api/traces JAEGER_SAMPLER_TYPE=const JAEGER_SAMPLER_PARAM=1
 * const tracer = initTracerFromEnv({}, { tags: { 'orders.version': '1.4.2' } });
 */
export function initTracerFromEnv(config: JaegerConfig = {}, options: JaegerOptions = {}): OpenTracingTracer {
  const merged = jaegerEnvConfig(config ?? {}, options ?? {}, process.env);
  return initTracer(merged.config, merged.options);
}

/**
 * Every `JAEGER_*` variable read, in one place, merged under `config` and `options` as jaeger-client does:
 * a setting present in `config` (even `undefined`) wins over its variable; `JAEGER_TAGS` is read only when
 * `options.tags` is absent. `JAEGER_DISABLED=true` disables; `JAEGER_SERVICE_NAME`; `JAEGER_SAMPLER_TYPE`,
 * `_PARAM`, `_MANAGER_HOST_PORT`, `_HOST`, `_PORT`, `_SAMPLING_PATH`, `_REFRESH_INTERVAL`; `JAEGER_ENDPOINT`,
 * `JAEGER_USER`, `JAEGER_PASSWORD`, `JAEGER_AGENT_HOST`, `JAEGER_AGENT_PORT`, `JAEGER_REPORTER_LOG_SPANS`
 * (`true`/`1`; jaeger-client took any value, even `false`, as true), `JAEGER_REPORTER_FLUSH_INTERVAL`,
 * `JAEGER_REPORTER_TIMEOUT`; jaeger-client's deprecated names (`JAEGER_DISABLE`, `JAEGER_REPORTER_ENDPOINT`,
 * `_USER`, `_PASSWORD`, `_AGENT_HOST`, `_AGENT_PORT`) as fallbacks. A value that is not a number where one is
 * needed is reported once (naming the variable, never a password) and ignored.
 */
export function jaegerEnvConfig(
  config: JaegerConfig,
  options: JaegerOptions,
  env: Readonly<Record<string, string | undefined>>,
): { config: JaegerConfig; options: JaegerOptions } {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, integer: boolean): number | undefined =>
    numberVariable(opentracingReporter, { variable: name, integer }, env);
  // Set or not; when set, true/1 or false/0 (a bad value: false, reported once by name).
  const flag = (name: string): boolean | undefined => {
    if (read(name) === undefined) return undefined;
    const word = choiceSetting(
      opentracingReporter,
      { variable: name, choices: ['true', '1', 'false', '0'] as const, fallback: 'false' },
      undefined,
      env,
    );
    return word === 'true' || word === '1';
  };

  const sampler = fill<JaegerSamplerConfig>(config.sampler, {
    type: read('JAEGER_SAMPLER_TYPE') as JaegerSamplerConfig['type'] | undefined,
    param: number('JAEGER_SAMPLER_PARAM', false),
    hostPort: read('JAEGER_SAMPLER_MANAGER_HOST_PORT'),
    host: read('JAEGER_SAMPLER_HOST'),
    port: number('JAEGER_SAMPLER_PORT', true),
    samplingPath: read('JAEGER_SAMPLER_SAMPLING_PATH'),
    refreshIntervalMs: number('JAEGER_SAMPLER_REFRESH_INTERVAL', true),
  });
  const reporter = fill<JaegerReporterConfig>(config.reporter, {
    logSpans: flag('JAEGER_REPORTER_LOG_SPANS'),
    flushIntervalMs: number('JAEGER_REPORTER_FLUSH_INTERVAL', true),
    collectorEndpoint: read('JAEGER_ENDPOINT') ?? read('JAEGER_REPORTER_ENDPOINT'),
    username: read('JAEGER_USER') ?? read('JAEGER_REPORTER_USER'),
    password: read('JAEGER_PASSWORD') ?? read('JAEGER_REPORTER_PASSWORD'),
    agentHost: read('JAEGER_AGENT_HOST') ?? read('JAEGER_REPORTER_AGENT_HOST'),
    agentPort: number('JAEGER_AGENT_PORT', true) ?? number('JAEGER_REPORTER_AGENT_PORT', true),
    timeoutMs: number('JAEGER_REPORTER_TIMEOUT', true),
  });
  return {
    config: {
      ...config,
      disable: config.disable || env.JAEGER_DISABLED === 'true' || env.JAEGER_DISABLE === 'true',
      serviceName: config.serviceName || read('JAEGER_SERVICE_NAME'),
      ...(sampler === undefined ? {} : { sampler: sampler as JaegerSamplerConfig }),
      ...(reporter === undefined ? {} : { reporter }),
    },
    options: { ...options, tags: options.tags ?? jaegerTags(read('JAEGER_TAGS'), env) },
  };
}

/**
 * `given`'s settings, each setting it lacks taken from `fromEnv` (jaeger-client: a key present in the
 * config wins, even when its value is `undefined`); `undefined` when neither has any.
 */
function fill<T extends object>(given: T | undefined, fromEnv: Partial<T>): Partial<T> | undefined {
  const result: Partial<T> = { ...(given ?? {}) };
  for (const key of Object.keys(fromEnv) as (keyof T)[]) {
    if (given !== undefined && given !== null && key in given) continue;
    if (fromEnv[key] !== undefined) result[key] = fromEnv[key];
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * `JAEGER_TAGS`: `key=value` pairs separated by commas, whitespace trimmed; a value `${VAR}` or
 * `${VAR:default}` is read from the environment (the default when `VAR` is unset or empty). A pair without
 * `=` is reported once and skipped (jaeger-client threw on it).
 */
function jaegerTags(
  raw: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const tags: Record<string, string> = {};
  if (raw === undefined) return tags;
  for (const pair of raw.split(',')) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? '' : pair.slice(0, equals).trim();
    if (key === '') {
      if (pair.trim() !== '')
        reportOnce('env:JAEGER_TAGS', 'JAEGER_TAGS has an entry that is not key=value; skipped');
      continue;
    }
    let value = pair.slice(equals + 1).trim();
    if (value.startsWith('${') && value.endsWith('}')) {
      const reference = value.slice(2, -1);
      const colon = reference.indexOf(':');
      const name = colon < 0 ? reference : reference.slice(0, colon);
      const fallback = colon < 0 ? '' : reference.slice(colon + 1);
      value = env[name] || fallback;
    }
    tags[key] = value;
  }
  return tags;
}
