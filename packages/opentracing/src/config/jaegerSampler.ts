import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { createSampler, RateLimitingSampler, withSamplerTags, type SamplerConfig } from '@tracery/core';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import type { JaegerSamplerConfig } from './types';

/** jaeger-client's ratio for `probabilistic` without a param, and for `remote` until a strategy arrives. */
const DEFAULT_RATE = 0.001;
/** Traces per second of `ratelimiting` without a param. */
const DEFAULT_TRACES_PER_SECOND = 1;

/**
 * jaeger-client's sampler config as a sampler of `@tracery/core`: `const`, `probabilistic` and
 * `ratelimiting` decide for new traces and tag them `sampler.type`/`sampler.param` as jaeger-client does;
 * `remote` (and no config at all, jaeger-client's default) is core's remote sampler, built by the provider
 * so that it asks for the tracer's service and stops with it. Children follow their parent. A bad type or
 * param is reported once and gives the default.
 */
export function jaegerSampler(
  config: JaegerSamplerConfig | undefined,
  logger: JaegerLogger | undefined,
): SamplerConfig | Sampler {
  if (config === undefined || config === null) return { type: 'remote', param: DEFAULT_RATE };
  let param = config.param;
  if (param !== undefined && (typeof param !== 'number' || Number.isNaN(param))) {
    reportOnce(
      'sampler:param',
      `sampler.param ${String(param)} is not a number; the default is used`,
      logger,
    );
    param = undefined;
  }
  switch (config.type) {
    case 'const': {
      const always = (param ?? 1) === 1;
      return tagged(always ? new AlwaysOnSampler() : new AlwaysOffSampler(), 'const', always);
    }
    case 'probabilistic': {
      const rate = Math.min(1, Math.max(0, param ?? DEFAULT_RATE));
      return tagged(new TraceIdRatioBasedSampler(rate), 'probabilistic', rate);
    }
    case 'ratelimiting': {
      const perSecond = Math.max(0, param ?? DEFAULT_TRACES_PER_SECOND);
      return tagged(new RateLimitingSampler(perSecond), 'ratelimiting', perSecond);
    }
    case 'remote':
      return {
        type: 'remote',
        param: param ?? DEFAULT_RATE,
        hostPort: config.hostPort,
        host: config.host,
        port: config.port,
        samplingPath: config.samplingPath,
        refreshIntervalMs: config.refreshIntervalMs,
      };
    default:
      reportOnce(
        'sampler:type',
        `sampler.type ${String((config as { type?: unknown }).type)} is not const, probabilistic, ratelimiting ` +
          `or remote; remote sampling (${DEFAULT_RATE} until a strategy arrives) is used`,
        logger,
      );
      return { type: 'remote', param: DEFAULT_RATE };
  }
}

/**
 * `root` deciding new traces, tagged as jaeger-client tags them, inside core's parent-based sampler (which honours
 * debug traces: `root` is asked first, so a debug trace it samples too keeps its tags, one it would not is
 * sampled untagged, as in jaeger-client).
 */
function tagged(root: Sampler, type: string, param: number | boolean): Sampler {
  return createSampler({ type: 'parentbased', root: withSamplerTags(root, type, param) });
}

/** A short description of the sampling for the start-up log line. */
export function describeSampling(config: JaegerSamplerConfig | undefined): string {
  if (config === undefined || config === null) return `remote sampling (initially ${DEFAULT_RATE})`;
  return `${String(config.type)} sampling${config.param === undefined ? '' : ` (${String(config.param)})`}`;
}
