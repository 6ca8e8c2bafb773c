import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { reportOnce } from '../diagnostics/reportOnce';
import type { SamplerConfig } from '../types';
import { RateLimitingSampler } from './RateLimitingSampler';
import { SignalAwareSampler } from './SignalAwareSampler';

/** Jaeger clients' default sampling ratio. */
const DEFAULT_PROBABILITY = 0.001;
/** Default traces per second of the `ratelimiting` sampler. */
const DEFAULT_TRACES_PER_SECOND = 1;

/**
 * Builds a sampler. A `Sampler` object is returned as is. A `SamplerConfig` uses Jaeger's vocabulary:
 * `const` (param 1 or 0), `probabilistic` (param = ratio), `ratelimiting` (param = traces per second),
 * `parentbased` (with `root`); the first three decide for new traces and follow the parent's sampled flag
 * otherwise, as Jaeger clients do. Without a config, `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`
 * from `env` are honoured, else parent-based always-on. An invalid config is reported once through `diag`
 * and gives the default. Never throws.
 *
 * The samplers built here (not a `Sampler` object passed in) honour the caller's sampling signals: a debug
 * trace (Jaeger flag `0x02`, B3 `d` / `X-B3-Flags: 1`) is sampled whatever the config says; a span under a
 * remote parent that deferred the decision (B3 ids without a sampling state) is decided as a new trace; a
 * B3 state sent without ids (`b3: 0`, `b3: 1`) decides the trace started under it.
 *
 * @example
 * createSampler({ type: 'ratelimiting', param: 10 }); // at most 10 new traces per second
 */
export function createSampler(
  config?: SamplerConfig | Sampler,
  env: NodeJS.ProcessEnv = process.env,
): Sampler {
  if (config === undefined || config === null) return samplerFromEnv(env);
  if (typeof (config as Sampler).shouldSample === 'function') return config as Sampler;
  return parentBased(rootSampler(config as SamplerConfig));
}

function rootSampler(config: SamplerConfig): Sampler {
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
      return config.root === undefined ? new AlwaysOnSampler() : rootSampler(config.root);
    default:
      return invalid(`unknown sampler type ${String((config as { type?: unknown }).type)}`);
  }
}

function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
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

function ratioFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw.trim() === '') return 1;
  const ratio = Number(raw);
  if (Number.isNaN(ratio) || ratio < 0 || ratio > 1) {
    reportOnce('sampler:env:arg', `OTEL_TRACES_SAMPLER_ARG=${raw} is not a ratio in [0, 1]; using 1`);
    return 1;
  }
  return ratio;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function invalid(reason: string): Sampler {
  reportOnce(`sampler:config:${reason}`, `${reason}; sampling every new trace`);
  return new AlwaysOnSampler();
}
