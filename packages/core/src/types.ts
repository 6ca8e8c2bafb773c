import type { Attributes, Link, SpanContext, SpanKind } from '@opentelemetry/api';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportPipelineOptions } from '@tracery/commons';

/**
 * What a link can be made from: a span context, a `Link`, a W3C `traceparent` string (a Jaeger
 * `uber-trace-id` string also works), or a carrier: an object of headers holding `traceparent`,
 * `uber-trace-id`, `b3` or `X-B3-TraceId`/`X-B3-SpanId` (case-insensitive keys, read as the propagators read
 * them: a repeated `traceparent` is malformed, B3 and Jaeger take the first value).
 */
export type LinkTarget = SpanContext | Link | string | Readonly<Record<string, unknown>>;

/**
 * Options of the `@Traced` decorator (on a method or a class, legacy or standard decorators). Everything
 * here is read once, when the class is decorated; functions of the arguments run on each call.
 */
export interface TracedOptions {
  /**
   * Span name: a string, or a function of the call's arguments (reported once through `diag` when one
   * method produces more than `SPAN_NAME_CARDINALITY_LIMIT` (100) distinct names; a function that throws or
   * returns a non-string or empty string gives the default). On a class, a string replaces the class name:
   * `name.methodName`. Default: `ClassName.methodName` (static methods too; a symbol key gives
   * `ClassName.[description]`).
   */
  name?: string | ((args: readonly unknown[]) => string);
  /** Span kind. Default: `SpanKind.INTERNAL`. */
  kind?: SpanKind;
  /** Attributes set on every span of this method, when the span starts (samplers see them). Default: none. */
  attributes?: Attributes;
  /** `true` starts a new trace instead of joining the active one. Default: `false`. */
  root?: boolean;
  /**
   * Links added when the span starts: a fixed array of `Link`s, or a function of the call's arguments
   * returning link targets (span contexts, `traceparent` strings, carriers; see `LinkTarget`). Bad values
   * are skipped and reported once through `diag`; at most 128 links per span. Default: none.
   */
  links?: Link[] | ((args: readonly unknown[]) => LinkTarget | readonly LinkTarget[] | null | undefined);
  /**
   * Attributes computed from the call's arguments, set when the span starts (samplers see them): a record
   * of attribute key to argument index (the argument normalised like a `@SpanTag` value), or a function of
   * the arguments returning attributes (each value normalised; a function that throws records nothing and
   * is reported once). What `@SpanTag` on parameters gives, for standard decorators too. Default: none.
   */
  tags?: Readonly<Record<string, number>> | ((args: readonly unknown[]) => Attributes | null | undefined);
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
  /**
   * Only for `@Traced` on a class: `true` traces the class's static methods too. Default: `false` (the
   * prototype's own methods only). Ignored on a method.
   */
  static?: boolean;
}

/**
 * A sampler in Jaeger's vocabulary. `const`, `probabilistic` and `ratelimiting` decide for spans that start
 * a trace (no parent); a span with a parent (local or remote) follows its parent's sampled flag, as Jaeger
 * clients do. `parentbased` makes that explicit with any `root` sampler. `remote` takes its strategy from a
 * Jaeger agent's sampling endpoint (see `JaegerRemoteSampler`).
 */
export interface SamplerConfig {
  /**
   * `const`: `param` 1 samples every trace, 0 none. `probabilistic`: `param` is the ratio of traces sampled
   * (0..1). `ratelimiting`: `param` is the number of traces sampled per second (token bucket).
   * `parentbased`: follows the parent, and uses `root` for new traces. `remote`: the strategy served by
   * a Jaeger agent at `http://<host>:<port><samplingPath>?service=<serviceName>`, refreshed every
   * `refreshIntervalMs`; until it arrives (and while the endpoint cannot be reached from the start), `param`
   * is the ratio of new traces sampled.
   */
  type: 'const' | 'probabilistic' | 'ratelimiting' | 'parentbased' | 'remote';
  /**
   * The sampler's parameter (see `type`). Defaults: `const` 1, `probabilistic` 0.001 (Jaeger's default),
   * `ratelimiting` 1 trace per second, `remote` 0.001 (the initial ratio). Ignored by `parentbased`.
   */
  param?: number;
  /**
   * For `parentbased`: the sampler for spans without a parent, a config or a `Sampler` object of your own (which
   * then also honours the caller's sampling signals: debug traces sampled, deferred ones decided by it). Default:
   * `{ type: 'const', param: 1 }`.
   */
  root?: SamplerConfig | Sampler;
  /**
   * For `remote`: the agent's sampling endpoint as `host:port` or a URL (`http://jaeger-agent:5778/sampling`;
   * a path other than `/` is used as the path). Wins over `host`/`port`. Default: `localhost:5778`.
   */
  hostPort?: string;
  /** For `remote`: the agent's host. Default `localhost`. */
  host?: string;
  /** For `remote`: the agent's sampling port. Default 5778. */
  port?: number;
  /** For `remote`: the path of the sampling endpoint. Default `/sampling`. */
  samplingPath?: string;
  /**
   * For `remote`: milliseconds between strategy fetches (the first is made at once); 0 never fetches.
   * Default 60000.
   */
  refreshIntervalMs?: number;
  /**
   * For `remote`: the service whose strategy is asked for. Default: the tracer's `service.name` (the
   * `serviceName` option / `OTEL_SERVICE_NAME`).
   */
  serviceName?: string;
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
  /**
   * The `service.name` resource attribute. Default: `OTEL_SERVICE_NAME`, else OpenTelemetry's
   * `unknown_service:<process.argv0>`.
   */
  serviceName?: string;
  /** Extra resource attributes, merged over the detected ones (`OTEL_RESOURCE_ATTRIBUTES`). Default: none. */
  resource?: Attributes;
  /**
   * Exporter(s); each gets its own export pipeline (`ExportPipeline`: a bounded queue, batches, flushes that wait
   * for the collector's answer; one per destination of a fan-out; flushed on `beforeExit` and on shutdown).
   * Default: none (spans are not exported; with no `spanProcessors` either, `@tracery/fc`'s wrappers send them to
   * the endpoint Function Compute hands each call).
   */
  exporter?: SpanExporter | SpanExporter[];
  /**
   * How the export pipelines queue and batch: `maxQueueSize`, `maxExportBatchSize`, `scheduledDelayMillis`,
   * `exportTimeoutMillis`, `maxConcurrentExports`. Default: each from its `OTEL_BSP_*` variable, else
   * OpenTelemetry's defaults (2048 spans, 512 per export, 5000 ms, 30000 ms; 64 exports in flight).
   */
  pipeline?: ExportPipelineOptions;
  /** Span processors added as they are, after the exporters' batch processors. Default: none. */
  spanProcessors?: SpanProcessor[];
  /**
   * Sampler, as a Jaeger-style config or any OpenTelemetry `Sampler`. Default: `OTEL_TRACES_SAMPLER`
   * (`always_on`, `always_off`, `traceidratio`, `parentbased_*` of these) / `OTEL_TRACES_SAMPLER_ARG`, else
   * parent-based always-on.
   */
  sampler?: SamplerConfig | Sampler;
  /**
   * Propagation format used by `inject`/`extract` when none is given and registered as the global
   * propagator. Default: `OTEL_PROPAGATORS` (`tracecontext`, `baggage`, `b3`, `b3multi`, `jaeger`; `none`
   * alone: no propagation unless a call names a format), else `w3c`.
   */
  propagation?: PropagationFormat;
  /**
   * `false` turns tracing off: no provider is registered, `@Traced` methods call straight through and the
   * service's spans are non-recording. Default: `true`, unless `OTEL_SDK_DISABLED=true` (which `@Traced` also
   * reads when a class is decorated, leaving its methods untouched whatever this option says).
   */
  enabled?: boolean;
  /**
   * Registers the provider, an AsyncLocalStorage context manager and the propagator globally, which is what
   * `@Traced` uses. Default: `true`.
   */
  registerGlobal?: boolean;
}
