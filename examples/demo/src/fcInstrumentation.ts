/**
 * OpenTelemetry's HTTP instrumentation for the process of the FC function: outgoing requests only, which become
 * CLIENT spans carrying the trace headers (no `inject`). The incoming side of a function is FC's invocation; here the
 * same process also runs the embedded collector, whose requests must not be traced either. Imported first by
 * `main.ts`.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

registerInstrumentations({
  instrumentations: [new HttpInstrumentation({ disableIncomingRequestInstrumentation: true })],
});
