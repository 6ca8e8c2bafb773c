/**
 * Runs the function on this machine exactly as FC would call it (`invokeLocal` builds an FC-shaped context):
 *   node dist/main.js [async|callback] [name]
 * With `OTEL_EXPORTER_JAEGER_ENDPOINT` set (e.g. http://localhost:14268/api/traces, a Jaeger all-in-one), that
 * URL is handed to the function as FC's `jaegerEndpoint` and the spans go there.
 */
import { randomBytes } from 'node:crypto';
import { invokeLocal } from '@tracery/fc';
import { handler as callbackHandler } from './callback';
import { handler as asyncHandler } from './index';

async function main(): Promise<void> {
  const [style = 'async', name = 'FC'] = process.argv.slice(2);
  // FC's own invocation span, as FC would pass it: `{trace-id}:{span-id}:{parent-span-id}:{flags}`.
  const fcTraceId = randomBytes(8).toString('hex');
  const fcSpanId = randomBytes(8).toString('hex');
  const openTracingSpanContext = `${fcTraceId}:${fcSpanId}:0:1`;
  const jaegerEndpoint = process.env.OTEL_EXPORTER_JAEGER_ENDPOINT;

  const result = await invokeLocal(style === 'callback' ? callbackHandler : asyncHandler, {
    event: { name },
    tracing: { openTracingSpanContext, jaegerEndpoint, openTracingSpanBaggages: { tenant: 'demo' } },
    context: {
      function: { name: 'fc-hello', handler: style === 'callback' ? 'callback.handler' : 'index.handler' },
    },
  });

  console.log(`FC span context: ${openTracingSpanContext}`);
  console.log(`result: ${JSON.stringify(result)}`);
  console.log(
    jaegerEndpoint
      ? `the handler flushed its spans to that endpoint before returning; look for trace ${fcTraceId.padStart(32, '0')}`
      : 'no OTEL_EXPORTER_JAEGER_ENDPOINT set: FC handed no collector endpoint, so nothing was exported',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
