import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { numberVariable, type Env } from '@tracery/commons';
import { coreReporter, reportOnce } from '../diagnostics/reportOnce';
import type { SamplerConfig } from '../types';
import {
  DEFAULT_INITIAL_SAMPLING_RATE,
  DEFAULT_SAMPLING_REFRESH_INTERVAL_MS,
  JaegerRemoteSampler,
} from './JaegerRemoteSampler';
import { RateLimitingSampler } from './RateLimitingSampler';
import { withSamplerTags } from './samplerTags';
import { SignalAwareSampler } from './SignalAwareSampler';

/** Jaeger clients' default sampling ratio. */
const DEFAULT_PROBABILITY = 0.001;
/** Default traces per second of the `ratelimiting` sampler. */
const DEFAULT_TRACES_PER_SECOND = 1;
/** A Jaeger agent's sampling port and path. */
const DEFAULT_SAMPLING_HOST = 'localhost';
const DEFAULT_SAMPLING_PORT = 5778;
const DEFAULT_SAMPLING_PATH = '/sampling';
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What a sampler config may leave to the tracer it is built for. */
export interface SamplerDefaults {
  /** The service name a `remote` sampler asks its strategy for, unless the config names one. */
  serviceName?: string;
}

/**
 * Builds a sampler. A `Sampler` object is returned as is. A `SamplerConfig` uses Jaeger's vocabulary:
 * `const` (param 1 or 0), `probabilistic` (param = ratio), `ratelimiting` (param = traces per second),
 * `parentbased` (with `root`, a config or a `Sampler` object), `remote` (a `JaegerRemoteSampler` polling a Jaeger agent's sampling
 * endpoint); all decide for new traces and follow the parent's sampled flag otherwise, as Jaeger clients
 * do. Without a config, `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` from `env` are honoured, else
 * parent-based always-on. An invalid config is reported once through `diag` and gives the default (for
 * `remote`, the default of the invalid setting). Never throws.
 *
 * @example
 * createSampler({ type: 'ratelimiting', param: 10 }); // at most 10 new traces per second
 * createSampler({ type: 'remote', hostPort: 'jaeger-agent:5778' }, process.env, { serviceName: 'orders' });
 */
export function createSampler(
  config?: SamplerConfig | Sampler,
  env: Env = process.env,
  defaults: SamplerDefaults = {},
): Sampler {
  if (config === undefined || config === null) return samplerFromEnv(env);
  if (typeof (config as Sampler).shouldSample === 'function') return config as Sampler;
  const samplerConfig = config as SamplerConfig;
  // The remote sampler follows parents and the sampling signals itself, and is returned unwrapped so its owner
  // can refresh it and stop its polling.
  if (samplerConfig.type === 'remote') return remoteSampler(samplerConfig, env, defaults);
  const root = samplerConfig.root as SamplerConfig | undefined;
  if (samplerConfig.type === 'parentbased' && root?.type === 'remote') {
    return remoteSampler(root, env, defaults);
  }
  return parentBased(rootSampler(samplerConfig, env, defaults));
}

function remoteSampler(config: SamplerConfig, env: Env, defaults: SamplerDefaults): Sampler {
  let rate = config.param ?? DEFAULT_INITIAL_SAMPLING_RATE;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    reportOnce(
      `sampler:remote:param:${String(rate)}`,
      `remote sampler param ${String(rate)} is not a ratio in [0, 1]; using ${DEFAULT_INITIAL_SAMPLING_RATE}`,
    );
    rate = DEFAULT_INITIAL_SAMPLING_RATE;
  }
  let refreshIntervalMs = config.refreshIntervalMs ?? DEFAULT_SAMPLING_REFRESH_INTERVAL_MS;
  if (typeof refreshIntervalMs !== 'number' || !(refreshIntervalMs >= 0 && refreshIntervalMs < 2 ** 31)) {
    reportOnce(
      `sampler:remote:refresh:${String(refreshIntervalMs)}`,
      `remote sampler refreshIntervalMs ${String(refreshIntervalMs)} is not a number of milliseconds; ` +
        `using ${DEFAULT_SAMPLING_REFRESH_INTERVAL_MS}`,
    );
    refreshIntervalMs = DEFAULT_SAMPLING_REFRESH_INTERVAL_MS;
  }
  const serviceName =
    config.serviceName || defaults.serviceName || env.OTEL_SERVICE_NAME?.trim() || 'unknown_service';
  return new JaegerRemoteSampler({
    serviceName,
    endpoint: samplingEndpoint(config),
    initialSampler: withSamplerTags(new TraceIdRatioBasedSampler(rate), 'probabilistic', rate),
    refreshIntervalMs,
  });
}

/**
 * The sampling endpoint URL of a `remote` config: `hostPort` (`host:port` or a URL whose path, other than
 * `/`, is used) wins over `host`/`port`; `samplingPath` wins over a path in `hostPort`. A setting that
 * cannot make a URL is reported and left at its default.
 */
function samplingEndpoint(config: SamplerConfig): string {
  let protocol = 'http:';
  let host = config.host || DEFAULT_SAMPLING_HOST;
  let port = config.port ?? DEFAULT_SAMPLING_PORT;
  let path = config.samplingPath;
  if (config.hostPort) {
    try {
      const url = new URL(HAS_SCHEME.test(config.hostPort) ? config.hostPort : `http://${config.hostPort}`);
      protocol = url.protocol;
      host = url.hostname || DEFAULT_SAMPLING_HOST;
      port = url.port === '' ? DEFAULT_SAMPLING_PORT : Number(url.port);
      if (path === undefined && url.pathname !== '/') path = url.pathname;
    } catch {
      reportOnce(
        'sampler:remote:hostPort',
        'remote sampler hostPort is not host:port or a URL; using localhost:5778',
      );
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    reportOnce(
      `sampler:remote:port:${String(port)}`,
      `remote sampler port ${String(port)} is not a port; using 5778`,
    );
    port = DEFAULT_SAMPLING_PORT;
  }
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  path = path ?? DEFAULT_SAMPLING_PATH;
  if (!path.startsWith('/')) path = `/${path}`;
  try {
    return new URL(`${protocol}//${host}:${port}${path}`).toString();
  } catch {
    reportOnce(
      'sampler:remote:host',
      'remote sampler host or samplingPath cannot make a URL; using the default',
    );
    return `http://${DEFAULT_SAMPLING_HOST}:${DEFAULT_SAMPLING_PORT}${DEFAULT_SAMPLING_PATH}`;
  }
}

function rootSampler(config: SamplerConfig | Sampler, env: Env, defaults: SamplerDefaults): Sampler {
  if (typeof (config as Partial<Sampler>).shouldSample === 'function') return config as Sampler;
  config = config as SamplerConfig;
  if (config.type === 'remote') return remoteSampler(config, env, defaults);
  const param = config.param;
  if (param !== undefined && (typeof param !== 'number' || Number.isNaN(param))) {
    return invalid(`sampler param ${String(param)} is not a number`);
  }
  switch (config.type) {
    case 'const':
      if (param === undefined || param === 1) return new AlwaysOnSampler();
      if (param === 0) return new AlwaysOffSampler();
      return invalid(`const sampler param must be 0 or 1, got ${param}`);
    case 'probabilistic':
      return new TraceIdRatioBasedSampler(clamp(param ?? DEFAULT_PROBABILITY, 0, 1));
    case 'ratelimiting':
      return new RateLimitingSampler(Math.max(0, param ?? DEFAULT_TRACES_PER_SECOND));
    case 'parentbased':
      return config.root === undefined ? new AlwaysOnSampler() : rootSampler(config.root, env, defaults);
    default:
      return invalid(`unknown sampler type ${String((config as { type?: unknown }).type)}`);
  }
}

function samplerFromEnv(env: Env): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() ?? '';
  switch (name) {
    case '':
    case 'parentbased_always_on':
      return parentBased(new AlwaysOnSampler());
    case 'always_on':
      return alone(new AlwaysOnSampler());
    case 'always_off':
      return alone(new AlwaysOffSampler());
    case 'parentbased_always_off':
      return parentBased(new AlwaysOffSampler());
    case 'traceidratio':
      return alone(new TraceIdRatioBasedSampler(ratioFromEnv(env)));
    case 'parentbased_traceidratio':
      return parentBased(new TraceIdRatioBasedSampler(ratioFromEnv(env)));
    default:
      reportOnce(
        `sampler:env:${name}`,
        `OTEL_TRACES_SAMPLER=${name} is not supported; using parentbased_always_on`,
      );
      return parentBased(new AlwaysOnSampler());
  }
}

function parentBased(root: Sampler): Sampler {
  return new SignalAwareSampler(new ParentBasedSampler({ root }), root);
}

/** A sampler that ignores the parent decides a deferred trace as any other. */
function alone(sampler: Sampler): Sampler {
  return new SignalAwareSampler(sampler, sampler);
}

/** `OTEL_TRACES_SAMPLER_ARG`, a ratio in [0, 1]; unset gives 1, and so does a bad value (reported once by name). */
function ratioFromEnv(env: Env): number {
  return numberVariable(coreReporter, { variable: 'OTEL_TRACES_SAMPLER_ARG', min: 0, max: 1 }, env) ?? 1;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function invalid(reason: string): Sampler {
  reportOnce(`sampler:config:${reason}`, `${reason}; sampling every new trace`);
  return new AlwaysOnSampler();
}
