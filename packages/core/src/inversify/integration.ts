// What both entry points of `@tracery/core/inversify` (CommonJS `index.ts`, ESM `index.mts`) share, as one
// CommonJS module: one `TracerService` class and one "annotated once" flag per process, whichever entry loads.
export { annotateTracerService } from './injectableTracerService';
export { tracingBindings } from './tracingBindings';
export { TRACER_PROVIDER, TRACING_OPTIONS } from './tokens';
export { TracerService } from '../service/TracerService';
