import { ContainerModule } from 'inversify';
import type { TracingOptions } from '../types';
import { TracerService } from './TracerService';
import { TRACER_PROVIDER, TRACING_OPTIONS } from './tokens';

/**
 * An inversify `ContainerModule` binding `TRACING_OPTIONS`, `TracerService` (a singleton, created when the
 * module is loaded so decorated classes trace from then on) and its provider under `TRACER_PROVIDER`.
 * Unloading the module (`await container.unload(module)`) flushes and shuts the provider down.
 *
 * @example
 * const container = new Container();
 * await container.load(tracingModule({ serviceName: 'orders', exporter }));
 * container.get(TracerService).setTag('tenant', 'acme');
 */
export function tracingModule(options: TracingOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const service = new TracerService(options);
    bind<TracingOptions>(TRACING_OPTIONS).toConstantValue(options);
    bind(TracerService)
      .toConstantValue(service)
      .onDeactivation((instance) => instance.shutdown());
    bind(TRACER_PROVIDER).toConstantValue(service.provider);
  });
}
