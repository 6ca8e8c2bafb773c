import type { PropagationFormat } from '@tracery/core';
import type { JaegerLogger } from '../diagnostics/reportOnce';

export type { JaegerLogger };

/** jaeger-client's `config.sampler`: how new traces are sampled. */
export interface JaegerSamplerConfig {
  /**
   * `const` (`param` 1: every trace, anything else: none), `probabilistic` (`param`: the ratio sampled, by
   * trace id), `ratelimiting` (`param`: traces per second), `remote` (the strategy a Jaeger agent serves;
   * `param`: the ratio sampled until it arrives). Default (no `sampler` at all): `remote` with 0.001, as
   * jaeger-client. Env: `JAEGER_SAMPLER_TYPE`.
   */
  type: 'const' | 'probabilistic' | 'ratelimiting' | 'remote';
  /**
   * The sampler's parameter (see `type`). jaeger-client requires it; here it defaults to `const` 1,
   * `probabilistic` 0.001, `ratelimiting` 1, `remote` 0.001. Env: `JAEGER_SAMPLER_PARAM`.
   */
  param?: number;
  /**
   * For `remote`: the agent's sampling endpoint, `host:port` or a URL (`http://jaeger-agent:5778/sampling`).
   * Wins over `host`/`port`. Default `localhost:5778`. Env: `JAEGER_SAMPLER_MANAGER_HOST_PORT`.
   */
  hostPort?: string;
  /** For `remote`: the agent's host. Default `localhost`. Env: `JAEGER_SAMPLER_HOST`. */
  host?: string;
  /** For `remote`: the agent's sampling port. Default 5778. Env: `JAEGER_SAMPLER_PORT`. */
  port?: number;
  /** For `remote`: the sampling path. Default `/sampling`. Env: `JAEGER_SAMPLER_SAMPLING_PATH`. */
  samplingPath?: string;
  /**
   * For `remote`: milliseconds between strategy fetches (the first is made at once); 0 never fetches.
   * Default 60000. Env: `JAEGER_SAMPLER_REFRESH_INTERVAL`.
   */
  refreshIntervalMs?: number;
}

/** jaeger-client's `config.reporter`: where finished spans go. */
export interface JaegerReporterConfig {
  /**
   * A Jaeger collector's Thrift-over-HTTP endpoint, e.g. `http://jaeger-collector:14268/api/traces`. When
   * set, spans go there; else to the agent over UDP. Default: none. Env: `JAEGER_ENDPOINT`.
   */
  collectorEndpoint?: string;
  /** Basic-auth user for `collectorEndpoint`. Default none. Env: `JAEGER_USER`. */
  username?: string;
  /** Basic-auth password for `collectorEndpoint` (a secret: never logged). Default none. Env: `JAEGER_PASSWORD`. */
  password?: string;
  /** The Jaeger agent's host (UDP). Default `localhost`. Env: `JAEGER_AGENT_HOST`. */
  agentHost?: string;
  /**
   * The Jaeger agent's UDP port for the compact Thrift protocol. Default 6831 (jaeger-client's default
   * 6832 is the agent's binary-protocol port, which `@tracery/exporters` does not speak). Env:
   * `JAEGER_AGENT_PORT`.
   */
  agentPort?: number;
  /** Also log each finished sampled span through `options.logger.info`. Default false. Env: `JAEGER_REPORTER_LOG_SPANS`. */
  logSpans?: boolean;
  /** Milliseconds between exports of finished spans. Default 1000. Env: `JAEGER_REPORTER_FLUSH_INTERVAL`. */
  flushIntervalMs?: number;
  /** Time budget of one export to `collectorEndpoint`, in milliseconds. Default 10000. Env: `JAEGER_REPORTER_TIMEOUT`. */
  timeoutMs?: number;
}

/** jaeger-client's `config` argument of `initTracer`. */
export interface JaegerConfig {
  /**
   * The service name (Jaeger's process name, OpenTelemetry's `service.name`). jaeger-client throws without
   * it; here its absence is reported once and OpenTelemetry's default (`OTEL_SERVICE_NAME`, else
   * `unknown_service:node`) is used. Env: `JAEGER_SERVICE_NAME`.
   */
  serviceName?: string;
  /**
   * `true` gives a tracer that records and exports nothing (trace context still passes through inject).
   * Default false. Env: `JAEGER_DISABLED=true`.
   */
  disable?: boolean;
  /** How new traces are sampled. Default: `remote`, 0.001 until the agent's strategy arrives. */
  sampler?: JaegerSamplerConfig;
  /** Where spans go. Default: the Jaeger agent on `localhost:6831` (UDP). */
  reporter?: JaegerReporterConfig;
}

/** jaeger-client's `options` argument of `initTracer`. */
export interface JaegerOptions {
  /**
   * Process tags, on every span's process (OpenTelemetry resource attributes); non-string values as
   * jaeger-client sends them. `hostname`, `ip` and `client-uuid` are added as jaeger-client adds them
   * (unless given). Default none. Env (`initTracerFromEnv`, when not given): `JAEGER_TAGS`
   * (`key=value,key2=${ENV_VAR:default}`).
   */
  tags?: Record<string, unknown>;
  /** jaeger-client's logger: `info` at start (and for `logSpans`), `error` for faults. Default none. */
  logger?: JaegerLogger;
  /**
   * Not in jaeger-client: the wire format of inject/extract, `jaeger` (`uber-trace-id`, `uberctx-*`), `w3c`,
   * `b3` or `b3single`. Also registered as OpenTelemetry's global propagator. Default `jaeger`.
   */
  propagation?: PropagationFormat;
  /** jaeger-client's metrics factory: accepted and ignored (reported once). */
  metrics?: unknown;
}
