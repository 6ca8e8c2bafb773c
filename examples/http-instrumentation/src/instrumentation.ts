/**
 * OpenTelemetry's HTTP instrumentation for a service, both sides: incoming requests become SERVER spans, outgoing
 * ones CLIENT spans. Imported FIRST by the entry point, so `http` is patched before the program uses it. It records
 * with the global API: its spans go to the provider Tracery registers afterwards (`tracingModule`, `TracerService`),
 * and it injects and extracts with the propagators Tracery registers (the format you chose).
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
