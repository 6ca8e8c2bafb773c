/**
 * The Function Compute function: `node dist/function.js <format> <price service URL>` runs it once, as FC would
 * (`invokeLocal`). The recipe with `@tracery/fc`:
 *   1. register the instrumentation (first import), without the incoming side (FC's invocation is that),
 *   2. optionally a `TracerService`: here it picks the propagation format and the exporter (without an exporter
 *      it would send to the endpoint FC hands each call; without it at all, W3C headers and FC's endpoint),
 *   3. `tracedHandler`: the instrumentation's CLIENT spans nest under the invocation span.
 * No `inject`: the instrumentation writes the headers of the format.
 */
import './fcInstrumentation'; // first: before anything loads `http`
import 'reflect-metadata';
import * as http from 'node:http';
import { SpanTag, Traced, TracerService } from '@tracery/core';
import { invokeLocal, tracedHandler } from '@tracery/fc';
import { exporter, parseFormat } from './tracing';

const format = parseFormat(process.argv[2]);
const priceServiceUrl = process.argv[3] ?? 'http://127.0.0.1:8080';
const tracing = new TracerService({
  serviceName: 'quote-function',
  exporter: exporter(),
  propagation: format,
});

function getJson(url: string): Promise<{ price: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
  });
}

class QuoteService {
  @Traced()
  async quote(
    @SpanTag('product.sku') sku: string,
  ): Promise<{ price: number; headers: Record<string, string> }> {
    return getJson(`${priceServiceUrl}/price?sku=${encodeURIComponent(sku)}`);
  }
}
const quotes = new QuoteService();

export const handler = tracedHandler(async (event: Buffer) => quotes.quote(JSON.parse(event.toString()).sku));

async function main(): Promise<void> {
  const answer = await invokeLocal(handler, {
    event: { sku: 'sku-apple' },
    tracing: {}, // a fresh span context of "FC" (its endpoint is not needed: the TracerService has an exporter)
    context: { function: { name: 'quote-function', handler: 'function.handler', memory: 256, timeout: 10 } },
  });
  const traceHeaders = Object.keys(answer.headers).filter((name) => !['host', 'connection'].includes(name));
  console.log(`[${format}] price ${answer.price}; the price service received ${traceHeaders.join(', ')}`);
  await tracing.shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
