/**
 * OpenTelemetry's HTTP instrumentation for the inventory service, both sides: the requests it serves become SERVER
 * spans continuing the caller's trace (no `extract`). Imported first by `inventory/server.ts`.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
