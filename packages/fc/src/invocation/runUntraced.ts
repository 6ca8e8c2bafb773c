import { context as otelContext } from '@opentelemetry/api';
import { openTelemetryCoreModule } from '../loading/lazyModules';
import { sendsToFcEndpoints } from '../provider/invocationTracing';

/**
 * Calls an entry point whose invocation is not traced (FC turned tracing off for it), returning exactly what it
 * returns. Once a provider of this instance sends to FC's endpoints (an earlier call was traced), the call runs
 * with OpenTelemetry's tracing suppressed: its `@Traced` spans and instrumented requests would otherwise be new
 * root traces of that provider, sent with a later call's flush to the endpoint of an earlier one.
 */
export function runUntraced<T>(call: () => T): T {
  if (!sendsToFcEndpoints()) return call();
  return otelContext.with(openTelemetryCoreModule().suppressTracing(otelContext.active()), call);
}
