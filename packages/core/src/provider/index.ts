// `@tracery/core/provider`: what the packages built on core need to trace without the decorators: the tracer
// provider, and the parsing of trace context that `@tracery/fc` does for every invocation. It loads none of the
// decorators, `TracerService` or the propagators (the main entry loads them all: about 50 modules, where this one
// loads about 15); `extractTraceHeaders` loads the propagators at its first call. The same functions as the main
// entry's.
import type { Context } from '@opentelemetry/api';

export { createTracerProvider } from './createTracerProvider';
export { parseJaegerSpanContext } from '../propagation/jaegerSpanContext';
export type { TracingOptions } from '../types';

/** The main entry's `extractTraceHeaders`, loaded at its first call. */
export function extractTraceHeaders(carrier: unknown, base?: Context): Context {
  return (
    require('../propagation/extractTraceHeaders') as typeof import('../propagation/extractTraceHeaders')
  ).extractTraceHeaders(carrier, base);
}
