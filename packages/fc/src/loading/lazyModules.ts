// What @tracery/fc needs only once a call is traced is loaded then, not when the package is imported: the
// OpenTelemetry SDK (through @tracery/core's provider entry: no decorators), the Jaeger exporter and OpenTelemetry's resources and core are
// loaded by the first traced call of an instance, and never by a function whose calls FC does not trace. Each
// `require` names its module literally, so a bundler sees and bundles it (in a bundle the module's code is
// likewise run at that first use only).

type CoreModule = typeof import('@tracery/core/provider');
type JaegerModule = typeof import('@tracery/exporters/jaeger');
type ResourcesModule = typeof import('@opentelemetry/resources');
type OpenTelemetryCoreModule = typeof import('@opentelemetry/core');

let core: CoreModule | undefined;
let jaeger: JaegerModule | undefined;
let resources: ResourcesModule | undefined;
let openTelemetryCore: OpenTelemetryCoreModule | undefined;

/**
 * `@tracery/core/provider`: span context parsing, header extraction, the tracer provider; not the decorators,
 * `TracerService` or the propagators, which a function that only wraps its handler never runs.
 */
export function traceryCore(): CoreModule {
  return (core ??= require('@tracery/core/provider') as CoreModule);
}

/** `@tracery/exporters/jaeger`: the Jaeger exporter alone (no other exporter kind). */
export function jaegerExporters(): JaegerModule {
  return (jaeger ??= require('@tracery/exporters/jaeger') as JaegerModule);
}

/** `@opentelemetry/resources`. */
export function openTelemetryResources(): ResourcesModule {
  return (resources ??= require('@opentelemetry/resources') as ResourcesModule);
}

/** `@opentelemetry/core`. */
export function openTelemetryCoreModule(): OpenTelemetryCoreModule {
  return (openTelemetryCore ??= require('@opentelemetry/core') as OpenTelemetryCoreModule);
}
