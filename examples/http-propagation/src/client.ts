/**
 * The client process: `node dist/client.js <format> <url>`. Records a CLIENT span with baggage, injects the
 * context into the request headers in that format, calls the server, prints what the server saw, and exits.
 */
import 'reflect-metadata';
import * as http from 'node:http';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { createTracer, parseFormat } from './tracing';

const format = parseFormat(process.argv[2]);
const url = process.argv[3] ?? 'http://127.0.0.1:8080/price';
const tracer = createTracer('price-client', format);

function get(target: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(target, { headers, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target}`)));
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const withBaggage = propagation.setBaggage(
    context.active(),
    propagation.createBaggage({ 'customer.tier': { value: 'gold' } }),
  );
  const span = tracer.startSpan('GET /price', { kind: SpanKind.CLIENT }, withBaggage);
  const headers: Record<string, string> = {};
  context.with(trace.setSpan(withBaggage, span), () => tracer.inject(headers, format));
  try {
    const answer = JSON.parse(await get(url, headers)) as {
      traceId: string;
      parentSpanId?: string;
      baggage: object;
    };
    console.log(`[${format}] sent ${JSON.stringify(headers)}`);
    console.log(
      `[${format}] client span ${span.spanContext().spanId} in trace ${span.spanContext().traceId}; ` +
        `server continued trace ${answer.traceId} under ${answer.parentSpanId ?? 'nothing'}, baggage ${JSON.stringify(answer.baggage)}`,
    );
  } finally {
    span.end();
    await tracer.shutdown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
