import { ContainerModule, decorate, inject, injectable, optional } from 'inversify';
import { TracerService } from '../service/TracerService';
import type { TracingOptions } from '../types';
import { annotateTracerService } from './injectableTracerService';
import { TRACER_PROVIDER, TRACING_OPTIONS } from './tokens';
import { tracingBindings } from './tracingBindings';

annotateTracerService({ decorate, inject, injectable, optional });

/**
 * An inversify `ContainerModule` binding `TRACING_OPTIONS`, `TracerService` (a singleton, created when the
 * module is loaded so decorated classes trace from then on) and its provider under `TRACER_PROVIDER`.
 * Unloading the module (`await container.unload(module)` in inversify 7, `await container.unloadAsync(module)`
 * in inversify 8) flushes and shuts the provider down.
 *
 * @example
 * const container = new Container();
 * container.load(tracingModule({ serviceName: 'orders', exporter }));
 * container.get(TracerService).setTag('tenant', 'acme');
 */
export function tracingModule(options: TracingOptions): ContainerModule {
  return new ContainerModule(tracingBindings(options));
}

export { TracerService, TRACING_OPTIONS, TRACER_PROVIDER };
export type { WithSpanOptions } from '../service/TracerService';
export type { TracingOptions };
