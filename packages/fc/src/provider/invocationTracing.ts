import {
  context as otelContext,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createTracerProvider } from '@tracery/core';
import { createExporter } from '@tracery/exporters';
import { reportOnce } from '../diagnostics/reportOnce';
import { fcResourceAttributes } from '../resource/fcResource';
import type { FcContext, Flushable } from '../types';
import { coalesceFlush } from './coalesceFlush';
import { EndpointRoutingExporter } from './EndpointRoutingExporter';

/** Instrumentation scope of the invocation spans. */
export const TRACER_NAME = '@tracery/fc';

/** How invocations record and flush: a tracer and a flush that joins flushes already running. */
export interface InvocationTracing {
  tracer: Tracer;
  flush: () => Promise<void>;
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
const tracingByProvider = new WeakMap<object, InvocationTracing>();

/**
 * The tracing of one invocation, decided in this order: an explicit `tracerProvider` or `tracerService`; a
 * real SDK provider registered globally (the DI set-up of `@tracery/core`, or your own); else the provider this
 * package builds once per instance, exporting to `context.tracing.jaegerEndpoint`. `undefined` when none
 * applies (no endpoint: tracing is off), in which case the handler runs unwrapped.
 */
export function resolveTracing(
  source: TracingSource,
  fcContext: FcContext | undefined,
  endpoint: string | undefined,
): InvocationTracing | undefined {
  if (source.tracerProvider !== undefined) {
    // the global proxy (`trace.getTracerProvider()`) flushes through the provider behind it
    const proxied = (source.tracerProvider as { getDelegate?: () => TracerProvider }).getDelegate?.();
    return tracingFor(proxied ?? source.tracerProvider, source.tracerProvider);
  }
  if (source.tracerService !== undefined) {
    const provider = source.tracerService.provider ?? trace.getTracerProvider();
    return tracingFor(source.tracerService, provider);
  }
  const registered = globalSdkProvider();
  if (registered !== undefined && registered !== ownTracing?.provider)
    return tracingFor(registered, registered);
  if (endpoint === undefined) return undefined;
  const own = ownTracing ?? buildOwnTracing(source, fcContext);
  return own;
}

/** The SDK provider behind the global proxy, if there is one (something that can flush). */
function globalSdkProvider(): (TracerProvider & Flushable) | undefined {
  const proxy = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const delegate = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : proxy;
  return typeof (delegate as Partial<Flushable>).forceFlush === 'function'
    ? (delegate as TracerProvider & Flushable)
    : undefined;
}

function tracingFor(flushable: object, provider: TracerProvider): InvocationTracing {
  let tracing = tracingByProvider.get(flushable);
  if (tracing === undefined) {
    const forceFlush = (flushable as Partial<Flushable>).forceFlush;
    if (typeof forceFlush !== 'function') {
      reportOnce(
        'no-force-flush',
        'warn',
        'the tracer provider has no forceFlush(): spans are not flushed before the function returns',
      );
    }
    tracing = {
      tracer: provider.getTracer(TRACER_NAME),
      flush: coalesceFlush(() =>
        typeof forceFlush === 'function' ? forceFlush.call(flushable) : Promise.resolve(),
      ),
    };
    tracingByProvider.set(flushable, tracing);
    if (!hasContextManager()) {
      reportOnce(
        'no-context-manager',
        'warn',
        'no global context manager is registered: spans made inside the handler are not children of the invocation span',
      );
    }
  }
  return tracing;
}

function buildOwnTracing(
  source: TracingSource,
  fcContext: FcContext | undefined,
): InvocationTracing & { provider: NodeTracerProvider } {
  const routing = new EndpointRoutingExporter((endpoint): SpanExporter =>
    createExporter({ kind: 'jaeger', endpoint, timeoutMs: source.exportTimeoutMs }),
  );
  const resource = fcResourceAttributes(fcContext, { serviceName: source.serviceName });
  const provider = createTracerProvider({
    serviceName: typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined,
    resource,
    // FC's sampled flag decides for invocations under FC's span; new traces (no FC context) are all sampled
    sampler: { type: 'parentbased', root: { type: 'const', param: 1 } },
    spanProcessors: [
      new BatchSpanProcessor(routing, {
        maxQueueSize: 4096,
        maxExportBatchSize: 2048,
        exportTimeoutMillis: source.exportTimeoutMs,
      }),
    ],
  });
  registerIfFree(provider);
  const tracing = {
    provider,
    tracer: provider.getTracer(TRACER_NAME),
    flush: coalesceFlush(() => provider.forceFlush().then(() => routing.settled())),
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
    reportOnce('register', 'warn', `could not register the tracer provider globally: ${String(error)}`);
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
