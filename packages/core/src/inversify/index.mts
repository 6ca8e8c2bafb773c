// The ESM entry of `@tracery/core/inversify` (the `import` condition): the same integration as `index.ts`,
// on the inversify an ESM program imports. inversify 7 ships a CommonJS and an ESM build, whose
// `ContainerModule` classes are distinct (a module of one is no `ContainerModule` to a container of the other,
// for TypeScript); inversify 8 is ESM only, which this entry imports without `require(esm)` (Node 18 has none).
import { ContainerModule, decorate, inject, injectable, optional } from 'inversify';
import type { TracingOptions } from '../types.js';
import {
  annotateTracerService,
  tracingBindings,
  TracerService,
  TRACER_PROVIDER,
  TRACING_OPTIONS,
} from './integration.js';

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
export type { WithSpanOptions } from '../service/TracerService.js';
export type { TracingOptions };
