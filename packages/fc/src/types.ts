import type { Context, TracerProvider } from '@opentelemetry/api';

/** `context.credentials`: temporary keys of the function's role. Secrets: never recorded anywhere. */
export interface FcCredentials {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}

/** `context.function` as the Node.js runtime hands it over. */
export interface FcFunctionMeta {
  /** Function name (the invocation span is named after it). */
  name?: string;
  /** Handler as configured, e.g. `index.handler`. */
  handler?: string;
  /** Memory size in MB. */
  memory?: number;
  /** Invocation timeout in seconds. */
  timeout?: number;
  /** Initializer handler (older runtimes). */
  initializer?: string;
  /** Initializer timeout in seconds (older runtimes). */
  initializationTimeout?: number;
}

/** `context.service` (FC 3.0 has no service `name`). */
export interface FcServiceMeta {
  name?: string;
  logProject?: string;
  logStore?: string;
  qualifier?: string;
  versionId?: string;
}

/** `context.tracing`: filled by the runtime from the `x-fc-tracing-*` request headers. */
export interface FcTracing {
  /** Jaeger text span context of FC's invocation span, `{trace}:{span}:{parent}:{flags}`; absent when tracing is off. */
  openTracingSpanContext?: string;
  /** Baggage items; `{}` when absent. */
  openTracingSpanBaggages?: Record<string, unknown>;
  /** Jaeger collector URL (Thrift over HTTP); absent when tracing is off. Carries a token in its path: a secret. */
  jaegerEndpoint?: string;
}

/** The `context` argument of an FC handler. Every member is optional: the wrappers read it defensively. */
export interface FcContext {
  requestId?: string;
  credentials?: FcCredentials;
  function?: FcFunctionMeta;
  service?: FcServiceMeta;
  region?: string;
  accountId?: string;
  retryCount?: number;
  logger?: unknown;
  tracing?: FcTracing;
  [key: string]: unknown;
}

/** `callback(err, result)` of callback-style handlers. */
export type FcCallback<R = unknown> = (error?: unknown, result?: R) => void;

/** Callback-style event handler `(event, context, callback)`. */
export type FcCallbackHandler<E = Buffer, R = unknown> = (
  event: E,
  context: FcContext,
  callback: FcCallback<R>,
) => unknown;

/** Async (or value-returning) event handler `(event, context)`. */
export type FcAsyncHandler<E = Buffer, R = unknown> = (event: E, context: FcContext) => R | Promise<R>;

/** Either event handler shape. */
export type FcEventHandler<E = Buffer, R = unknown> = FcCallbackHandler<E, R> | FcAsyncHandler<E, R>;

/** The response object of an FC 2.0 HTTP handler; only the members the wrapper touches are typed. */
export interface FcHttpResponse {
  send(body?: unknown): unknown;
  setStatusCode?(statusCode: number): unknown;
  setHeader?(name: string, value: unknown): unknown;
  [key: string]: unknown;
}

/** The request object of an FC 2.0 HTTP handler; only the members the wrapper reads are typed. */
export interface FcHttpRequest {
  headers?: Record<string, unknown>;
  method?: string;
  path?: string;
  url?: string;
  clientIP?: string;
  [key: string]: unknown;
}

/** FC 2.0 HTTP handler `(req, resp, context)`. */
export type FcHttpHandler<Req = FcHttpRequest, Resp = FcHttpResponse> = (
  request: Req,
  response: Resp,
  context: FcContext,
) => unknown;

/** Initializer `(context, callback)` or `async (context)`. */
export type FcInitializer =
  ((context: FcContext, callback: FcCallback) => unknown) | ((context: FcContext) => unknown);

/** What to do with FC's span context (`context.tracing.openTracingSpanContext`). */
export type FcContextPolicy = 'parent' | 'link' | 'ignore';

/** The `faas.trigger` values of the semantic conventions. */
export type FaasTrigger = 'datasource' | 'http' | 'pubsub' | 'timer' | 'other';

/** Something that can flush, like `TracerService` of `@tracery/core`. */
export interface Flushable {
  forceFlush(): Promise<unknown>;
}

/** Options of `tracedHandler`, `tracedHttpHandler` and `tracedInitializer`. */
export interface FcTracingOptions {
  /** Span name. Default: `context.function.name`, else `FC_FUNCTION_NAME`, else `fc.invocation`. */
  spanName?: string;
  /**
   * What FC's span context becomes: `'parent'` (the invocation span is its child), `'link'` (a new trace,
   * linked to FC's span) or `'ignore'`. Default `'parent'`; env `TRACERY_FC_CONTEXT_POLICY`.
   */
  fcContextPolicy?: FcContextPolicy;
  /**
   * `true`: record and export every invocation whatever FC's sampled flag says. Default `false` (follow FC's
   * flags); env `TRACERY_FC_FORCE_SAMPLE=true`.
   */
  forceSample?: boolean;
  /**
   * Upper bound of the wait for the export before the result is handed back, in milliseconds. The wait is also
   * cut to the time left in the invocation (`context.function.timeout`) minus `safetyMarginMs`.
   * Default 2000; env `TRACERY_FC_FLUSH_TIMEOUT_MS`.
   */
  flushTimeoutMs?: number;
  /**
   * Time kept free before the invocation deadline (`context.function.timeout`), in milliseconds: the flush never
   * runs into it. Default 200; env `TRACERY_FC_SAFETY_MARGIN_MS`.
   */
  safetyMarginMs?: number;
  /** Upstream `traceparent` / `uber-trace-id` / `b3` headers of HTTP requests: a link, or the parent when FC gave none. Default `true`. */
  upstreamHeaders?: boolean;
  /** `faas.trigger` of the span. Default: `http` for HTTP handlers and FC 3.0 HTTP-trigger events, `timer` for timer events, else `other`. */
  trigger?: FaasTrigger;
  /** Attributes added to every invocation span. Default none. */
  attributes?: Record<string, string | number | boolean>;
  /**
   * Provider to record with, e.g. your own SDK set-up; it is flushed before each result is handed back.
   * Default: a provider registered globally (by `@tracery/core`'s `TracerService` / `tracingModule` or your SDK),
   * else one built once per instance that exports to `context.tracing.jaegerEndpoint`.
   */
  tracerProvider?: TracerProvider;
  /** `TracerService` of `@tracery/core` (or anything with `forceFlush()`) whose provider is the global one. Default none. */
  tracerService?: Flushable & { provider?: TracerProvider };
  /** Service name of the built provider's resource. Default: `OTEL_SERVICE_NAME`, else FC's service name, else the function name. */
  serviceName?: string;
}

/** Options of `fcParentContext`. */
export interface FcParentContextOptions {
  /** `'parent'` (default): FC's span is the remote parent; `'link'` / `'ignore'`: it is not set as parent. */
  fcContextPolicy?: FcContextPolicy;
  /** `true`: FC's span is made the parent as sampled even if its flags say unsampled. Default `false`. */
  forceSample?: boolean;
  /** Context to build on. Default: `context.active()`. */
  base?: Context;
}

/** What `invokeLocal` puts in `context.tracing`. */
export interface LocalTracingOptions {
  /** Collector the function exports to (`context.tracing.jaegerEndpoint`). Default none (no export). */
  jaegerEndpoint?: string;
  /** FC's span context. Default: a fresh, sampled one in a fresh trace. */
  openTracingSpanContext?: string;
  /** Whether the fresh span context is sampled. Default `true`. */
  sampled?: boolean;
  /** Baggage items. Default `{}`. */
  openTracingSpanBaggages?: Record<string, string>;
}

/** Options of `invokeLocal`. */
export interface InvokeLocalOptions<E = unknown> {
  /** The event. A Buffer is passed as is, a string as its UTF-8 bytes, anything else as JSON bytes (as FC does). */
  event?: E;
  /** Tracing as FC would hand it over; omitted or `false`: tracing off (`{ openTracingSpanBaggages: {} }`). */
  tracing?: LocalTracingOptions | false;
  /** Members overriding the generated context (`function` is merged member by member). */
  context?: Partial<FcContext>;
}
