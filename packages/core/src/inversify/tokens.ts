/** Inversify service identifier of the `TracingOptions` that `TracerService` is built from. */
export const TRACING_OPTIONS: unique symbol = Symbol.for('@tracery/core:TracingOptions');

/** Inversify service identifier of the `NodeTracerProvider` of the `TracerService` (bound by `tracingModule`). */
export const TRACER_PROVIDER: unique symbol = Symbol.for('@tracery/core:TracerProvider');
