import type { Attributes, Link, SpanKind } from '@opentelemetry/api';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Options of the `@Traced` method decorator. Everything here is read once, when the class is decorated.
 */
export interface TracedOptions {
  /** Span name. Default: `ClassName.methodName` (static methods too; a symbol key gives `ClassName.[description]`). */
  name?: string;
  /** Span kind. Default: `SpanKind.INTERNAL`. */
  kind?: SpanKind;
  /** Attributes set on every span of this method, when the span starts (samplers see them). Default: none. */
  attributes?: Attributes;
  /** `true` starts a new trace instead of joining the active one. Default: `false`. */
  root?: boolean;
  /** Links added to every span of this method, when the span starts. Default: none. */
  links?: Link[];
  /**
   * Records the method's return value (the resolved value for a native promise) as the attribute
   * `tracery.result`: `true` records it normalised like a `@SpanTag` value, a function maps it first
   * (its result is normalised; `undefined`/`null` records nothing). Default: `false` (nothing recorded).
   */
  recordResult?: boolean | ((result: unknown) => unknown);
  /**
   * Decides whether a thrown error (or rejection reason) makes the span's status ERROR. The exception is
   * recorded as an event either way; when this returns `false` the status stays UNSET. If it throws, the
   * error counts as an error. Default: every error is an error.
   */
  isError?: (error: unknown) => boolean;
}

/**
 * A sampler in Jaeger's vocabulary. `const`, `probabilistic` and `ratelimiting` decide for spans that start
 * a trace (no parent); a span with a parent (local or remote) follows its parent's sampled flag, as Jaeger
 * clients do. `parentbased` makes that explicit with any `root` sampler.
 */
export interface SamplerConfig {
  /**
   * `const`: `param` 1 samples every trace, 0 none. `probabilistic`: `param` is the ratio of traces sampled
   * (0..1). `ratelimiting`: `param` is the number of traces sampled per second (token bucket).
   * `parentbased`: follows the parent, and uses `root` for new traces.
   */
  type: 'const' | 'probabilistic' | 'ratelimiting' | 'parentbased';
  /**
   * The sampler's parameter (see `type`). Defaults: `const` 1, `probabilistic` 0.001 (Jaeger's default),
   * `ratelimiting` 1 trace per second. Ignored by `parentbased`.
   */
  param?: number;
  /** For `parentbased`: the sampler for spans without a parent. Default: `{ type: 'const', param: 1 }`. */
  root?: SamplerConfig;
}

/**
 * A context propagation format: `w3c` (`traceparent`, `tracestate`, `baggage`), `jaeger` (`uber-trace-id`,
 * `uberctx-*` baggage), `b3` (multi-header `X-B3-*`), `b3single` (one `b3` header).
 */
export type PropagationFormat = 'w3c' | 'jaeger' | 'b3' | 'b3single';

/**
 * Options of `TracerService`, `tracingModule` and `createTracerProvider`.
 */
export interface TracingOptions {
  /** The `service.name` resource attribute. Default: `OTEL_SERVICE_NAME`, else OpenTelemetry's `unknown_service:node`. */
  serviceName?: string;
  /** Extra resource attributes, merged over the detected ones (`OTEL_RESOURCE_ATTRIBUTES`). Default: none. */
  resource?: Attributes;
  /** Exporter(s); each gets its own `BatchSpanProcessor`. Default: none (spans are not exported). */
  exporter?: SpanExporter | SpanExporter[];
  /** Span processors added as they are, after the exporters' batch processors. Default: none. */
  spanProcessors?: SpanProcessor[];
  /**
   * Sampler, as a Jaeger-style config or any OpenTelemetry `Sampler`. Default: `OTEL_TRACES_SAMPLER` /
   * `OTEL_TRACES_SAMPLER_ARG`, else parent-based always-on.
   */
  sampler?: SamplerConfig | Sampler;
  /**
   * Propagation format used by `inject`/`extract` when none is given and registered as the global
   * propagator. Default: `OTEL_PROPAGATORS` (`tracecontext`, `baggage`, `b3`, `b3multi`, `jaeger`), else `w3c`.
   */
  propagation?: PropagationFormat;
  /**
   * `false` turns tracing off: no provider is registered, `@Traced` methods call straight through and the
   * service's spans are non-recording. Default: `true`, unless `OTEL_SDK_DISABLED=true`.
   */
  enabled?: boolean;
  /**
   * Registers the provider, an AsyncLocalStorage context manager and the propagator globally, which is what
   * `@Traced` uses. Default: `true`.
   */
  registerGlobal?: boolean;
}
