import {
  context as otelContext,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  DEFAULT_EXPORT_TIMEOUT_MS,
  exportSlotOf,
  fillExportSlot,
  flushPipelines,
  pipelinesOf,
  type ExportPipelineOptions,
  type ExportSlot,
  type FlushResult,
} from '@tracery/commons';
import { fcReporter } from '../diagnostics/fcReporter';
import { flushWithinBudget, type FlushOutcome } from '../invocation/flushWithinBudget';
import { fcResourceAttributes } from '../resource/fcResource';
import type { FcContext, Flushable } from '../types';
import { jaegerExporters, traceryCore } from '../loading/lazyModules';
import { EndpointRoutingExporter } from './EndpointRoutingExporter';

/** Instrumentation scope of the invocation spans. */
export const TRACER_NAME = '@tracery/fc';

/** How a bounded flush ended: `failed` carries the error when nothing else reported it. */
export interface InvocationFlush {
  outcome: FlushOutcome;
  error?: unknown;
}

/** How invocations record and flush. */
export interface InvocationTracing {
  tracer: Tracer;
  /**
   * Exports every span ended so far and waits for the collector's answer, at most `budgetMs`. Concurrent calls
   * share exports: a flush joins the exports already in flight that carry its spans and sends the rest at once.
   * Never rejects.
   */
  flush(budgetMs: number): Promise<InvocationFlush>;
  /** Only for the provider built here: the spans of `traceId` go to `endpoint`. */
  route?: (traceId: string, endpoint: string) => void;
}

/** What the wrappers pass to `resolveTracing`. */
export interface TracingSource {
  tracerProvider?: TracerProvider;
  tracerService?: Flushable & { provider?: TracerProvider };
  serviceName?: string;
  /** Export timeout of the built provider's Jaeger exporter, in ms. */
  exportTimeoutMs: number;
}

/** The provider built by this package for the instance: one per process, made on the first traced call. */
let ownTracing: (InvocationTracing & { provider: NodeTracerProvider }) | undefined;
const tracingByFlushable = new WeakMap<object, InvocationTracing>();
/** Tracing through a provider whose export slot this package filled with FC's endpoints, by its flushable. */
const routedTracingByFlushable = new WeakMap<object, InvocationTracing>();
/** Whether some provider's export slot was filled with FC's endpoints. */
let slotSendsToFcEndpoints = false;

/**
 * The tracing of one invocation, decided in this order: an explicit `tracerProvider` or `tracerService`; a
 * real SDK provider registered globally (the DI set-up of `@tracery/core`, or your own); else the provider this
 * package builds once per instance, exporting to `context.tracing.jaegerEndpoint`. A provider Tracery built
 * without any exporter (`new TracerService({ serviceName })`) sends to that endpoint too, as the built one does.
 * `undefined` when there is nothing to send to (no endpoint: tracing is off), in which case the handler runs
 * unwrapped.
 */
export function resolveTracing(
  source: TracingSource,
  fcContext: FcContext | undefined,
  endpoint: string | undefined,
): InvocationTracing | undefined {
  let flushable: object;
  let provider: TracerProvider;
  if (source.tracerProvider !== undefined) {
    // the global proxy (`trace.getTracerProvider()`) flushes through the provider behind it
    const proxied = (source.tracerProvider as { getDelegate?: () => TracerProvider }).getDelegate?.();
    flushable = proxied ?? source.tracerProvider;
    provider = source.tracerProvider;
  } else if (source.tracerService !== undefined) {
    flushable = source.tracerService;
    provider = source.tracerService.provider ?? trace.getTracerProvider();
  } else {
    const registered = globalSdkProvider();
    if (registered === undefined || registered === ownTracing?.provider) {
      if (endpoint === undefined) return undefined;
      return ownTracing ?? buildOwnTracing(source, fcContext);
    }
    flushable = registered;
    provider = registered;
  }
  const slot = exportSlotOf(providerBehind(provider));
  if (slot === undefined) return tracingFor(flushable, provider);
  return tracingThroughSlot(source, slot, flushable, provider, endpoint);
}

/**
 * Whether a provider of this instance sends to the endpoints FC hands each call: then a call FC does not trace must
 * record nothing with it (see `runUntraced`).
 */
export function sendsToFcEndpoints(): boolean {
  return ownTracing !== undefined || slotSendsToFcEndpoints;
}

/** The SDK provider behind the global proxy, or `provider` itself. */
function providerBehind(provider: TracerProvider): object {
  return (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
}

/**
 * Tracing through a provider built without any exporter: its export slot is filled, on the first call with an
 * endpoint, with the same per-endpoint Jaeger export as the provider built here. A call without an endpoint is
 * untraced (nothing could be sent); before the slot is filled, that is reported once.
 */
function tracingThroughSlot(
  source: TracingSource,
  slot: ExportSlot,
  flushable: object,
  provider: TracerProvider,
  endpoint: string | undefined,
): InvocationTracing | undefined {
  const routed = routedTracingByFlushable.get(flushable);
  if (routed !== undefined) return endpoint === undefined ? undefined : routed;
  if (endpoint === undefined) {
    if (!slot.filled) {
      fcReporter.once(
        'no-exporter',
        'the tracer provider in use (a TracerService or createTracerProvider without an exporter) has no ' +
          'exporter, and context.tracing.jaegerEndpoint is absent (tracing is off for this function): nothing is ' +
          'exported. Enable tracing for the function (its endpoint is then used), or give the TracerService an exporter',
        { level: 'warn' },
      );
    }
    return undefined;
  }
  const routing = endpointRouting(source);
  if (fillExportSlot(providerBehind(provider), routing, pipelineOptions(source)) === undefined) {
    // filled by someone else meanwhile, or shut down: record without routing
    void routing.shutdown();
    return tracingFor(flushable, provider);
  }
  slotSendsToFcEndpoints = true;
  const tracing: InvocationTracing = {
    ...tracingFor(flushable, provider),
    route: (traceId, routeEndpoint) => routing.route(traceId, routeEndpoint),
  };
  routedTracingByFlushable.set(flushable, tracing);
  return tracing;
}

/** The SDK provider behind the global proxy, if there is one (something that can flush). */
function globalSdkProvider(): (TracerProvider & Flushable) | undefined {
  const proxy = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const delegate = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : proxy;
  return typeof (delegate as Partial<Flushable>).forceFlush === 'function'
    ? (delegate as TracerProvider & Flushable)
    : undefined;
}

/** A flush through Tracery's export pipelines: bounded by the budget itself, one timer per pipeline. */
async function throughPipelines(
  flush: (budgetMs: number) => Promise<FlushResult>,
  budgetMs: number,
): Promise<InvocationFlush> {
  if (!(budgetMs > 0)) return { outcome: 'skipped' };
  const result = await flush(budgetMs);
  // A failed export was already reported by the pipeline, once per outage.
  return { outcome: !result.complete ? 'timeout' : result.dropped > 0 ? 'failed' : 'flushed' };
}

/**
 * How to flush `flushable` within a budget: through its export pipelines when Tracery built them (a
 * `TracerService`, `createTracerProvider`), else through its `forceFlush()`, bounded from outside.
 */
function flushOf(flushable: object, provider: TracerProvider): InvocationTracing['flush'] {
  const service = flushable as {
    flush?: (options: { timeoutMs: number }) => Promise<FlushResult>;
    provider?: unknown;
  };
  if (typeof service.flush === 'function' && pipelinesOf(service.provider ?? provider) !== undefined) {
    return (budgetMs) =>
      throughPipelines((timeoutMs) => service.flush!.call(flushable, { timeoutMs }), budgetMs);
  }
  const pipelines = pipelinesOf(flushable) ?? pipelinesOf(provider);
  if (pipelines !== undefined) {
    return (budgetMs) => throughPipelines((timeoutMs) => flushPipelines(pipelines, timeoutMs), budgetMs);
  }
  const forceFlush = (flushable as Partial<Flushable>).forceFlush;
  if (typeof forceFlush !== 'function') {
    fcReporter.once(
      'no-force-flush',
      'the tracer provider has no forceFlush(): spans are not flushed before the function returns',
    );
    return () => Promise.resolve({ outcome: 'flushed' });
  }
  return (budgetMs) => flushWithinBudget(() => forceFlush.call(flushable).then(() => undefined), budgetMs);
}

function tracingFor(flushable: object, provider: TracerProvider): InvocationTracing {
  let tracing = tracingByFlushable.get(flushable);
  if (tracing === undefined) {
    tracing = { tracer: provider.getTracer(TRACER_NAME), flush: flushOf(flushable, provider) };
    tracingByFlushable.set(flushable, tracing);
    if (!hasContextManager()) {
      fcReporter.once(
        'no-context-manager',
        'no global context manager is registered: spans made inside the handler are not children of the invocation span',
      );
    }
  }
  return tracing;
}

/**
 * A Jaeger exporter per endpoint FC hands over, the spans of each invocation to its own. The Jaeger exporter comes
 * from `@tracery/exporters/jaeger`, so a function (or its bundle) loads no other exporter kind.
 */
function endpointRouting(source: TracingSource): EndpointRoutingExporter {
  const { JaegerHttpExporter } = jaegerExporters();
  return new EndpointRoutingExporter(
    (endpoint): SpanExporter =>
      new JaegerHttpExporter({ kind: 'jaeger', endpoint, timeoutMs: source.exportTimeoutMs }),
    source.exportTimeoutMs,
  );
}

/** One request per invocation for up to 2048 spans; a flush waits for the exporter's answer itself. */
function pipelineOptions(source: TracingSource): ExportPipelineOptions {
  return {
    maxQueueSize: 4096,
    maxExportBatchSize: 2048,
    exportTimeoutMillis: Math.max(DEFAULT_EXPORT_TIMEOUT_MS, source.exportTimeoutMs),
  };
}

function buildOwnTracing(
  source: TracingSource,
  fcContext: FcContext | undefined,
): InvocationTracing & { provider: NodeTracerProvider } {
  const routing = endpointRouting(source);
  const resource = fcResourceAttributes(fcContext, { serviceName: source.serviceName });
  const provider = traceryCore().createTracerProvider({
    serviceName: typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined,
    resource,
    // FC's sampled flag decides for invocations under FC's span; new traces (no FC context) are all sampled
    sampler: { type: 'parentbased', root: { type: 'const', param: 1 } },
    exporter: routing,
    pipeline: pipelineOptions(source),
  });
  registerIfFree(provider);
  const pipelines = pipelinesOf(provider) ?? [];
  const tracing = {
    provider,
    tracer: provider.getTracer(TRACER_NAME),
    flush: (budgetMs: number) =>
      throughPipelines((timeoutMs) => flushPipelines(pipelines, timeoutMs), budgetMs),
    route: (traceId: string, endpoint: string) => routing.route(traceId, endpoint),
  };
  ownTracing = tracing;
  return tracing;
}

/**
 * Registers the built provider globally (so `@Traced` methods record under the invocation span), and an
 * AsyncLocalStorage context manager and the W3C propagators unless some are registered already.
 */
function registerIfFree(provider: NodeTracerProvider): void {
  try {
    if (globalSdkProvider() !== undefined) return;
    provider.register({
      contextManager: hasContextManager() ? null : undefined,
      propagator: propagation.fields().length > 0 ? null : undefined,
    });
  } catch (error) {
    fcReporter.once('register', 'could not register the tracer provider globally', { error });
  }
}

const PROBE = createContextKey('@tracery/fc context manager probe');

/** Whether a working context manager is registered (the no-op one forgets every value). */
function hasContextManager(): boolean {
  return otelContext.with(
    ROOT_CONTEXT.setValue(PROBE, true),
    () => otelContext.active().getValue(PROBE) === true,
  );
}
