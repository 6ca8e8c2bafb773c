import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';

/** The instrumentation scope name of every span the decorators start. */
export const TRACER_NAME = '@tracery/core';

/**
 * Whether decorated methods trace at run time. `TracerService` with `enabled: false` turns it off while it
 * lives; decorated methods then call the original method directly.
 */
export const decoratorSwitch = { enabled: true };

let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * The tracer of the GLOBAL tracer provider. The API's global is a proxy whose delegate is set once when a
 * provider registers; `trace.disable()` replaces the proxy, so the tracer is cached per proxy object and a
 * provider registered later (another test file, a restarted service) is picked up.
 */
export function decoratorTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedTracer = provider.getTracer(TRACER_NAME);
    cachedProvider = provider;
  }
  return cachedTracer;
}
