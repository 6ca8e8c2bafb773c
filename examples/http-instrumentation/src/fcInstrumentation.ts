/**
 * OpenTelemetry's HTTP instrumentation for a Function Compute function: outgoing requests only. The incoming side
 * of a function is FC's invocation (the invocation span of `tracedHandler`); a request reaching the process any other
 * way (the runtime's own) must not become a trace. Imported FIRST by the entry point, like `instrumentation.ts`.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

registerInstrumentations({
  instrumentations: [new HttpInstrumentation({ disableIncomingRequestInstrumentation: true })],
});
