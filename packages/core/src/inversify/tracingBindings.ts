import type { TracingOptions } from '../types';
import { TracerService } from '../service/TracerService';
import { TRACER_PROVIDER, TRACING_OPTIONS } from './tokens';

/** A constant binding as `tracingModule` makes it: the part of inversify's binding syntax it uses. */
interface ConstantBinding<T> {
  toConstantValue(value: T): { onDeactivation(deactivation: (instance: T) => void | Promise<void>): unknown };
}

/**
 * The part of inversify's `ContainerModuleLoadOptions` that `tracingModule` uses. The same in inversify 7 and
 * 8 and in their CommonJS and ESM builds, whose own declarations are distinct types (a `ContainerModule` of
 * one is not assignable to a container of the other).
 */
export interface TracingModuleLoadOptions {
  bind<T>(serviceIdentifier: symbol | (abstract new (...args: never[]) => T)): ConstantBinding<T>;
}

/**
 * The load function of `tracingModule(options)`: creates the `TracerService` at once (so decorated classes
 * trace from the moment the module is loaded) and binds it as a constant whose deactivation shuts it down,
 * next to `TRACING_OPTIONS` and its provider under `TRACER_PROVIDER`. Written once for each entry point of
 * `@tracery/core/inversify` (CommonJS and ESM), which wrap it in their own inversify's `ContainerModule`.
 */
export function tracingBindings(options: TracingOptions): (load: TracingModuleLoadOptions) => void {
  return ({ bind }) => {
    const service = new TracerService(options);
    bind<TracingOptions>(TRACING_OPTIONS).toConstantValue(options);
    bind<TracerService>(TracerService)
      .toConstantValue(service)
      .onDeactivation((instance) => instance.shutdown());
    bind(TRACER_PROVIDER).toConstantValue(service.provider);
  };
}
