import * as http from 'node:http';
import { inject, injectable } from 'inversify';
import { SpanTag, Traced } from '@tracery/core';

/** Where the inventory service listens (bound in the container). */
export const INVENTORY_URL = Symbol.for('demo.inventoryUrl');

/**
 * Calls the inventory service (another process) over HTTP. OpenTelemetry's HTTP instrumentation makes each request
 * a CLIENT span under `reserve`'s and writes the trace context into its headers: nothing to inject here.
 */
@injectable()
export class InventoryClient {
  constructor(@inject(INVENTORY_URL) private readonly baseUrl: string) {}

  @Traced()
  async reserve(
    @SpanTag('product.sku') sku: string,
    @SpanTag('product.quantity') quantity: number,
  ): Promise<boolean> {
    const answer = await post(`${this.baseUrl}/reserve`, JSON.stringify({ sku, quantity }));
    return answer.status === 200;
  }
}

function post(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json' };
    const req = http.request(url, { method: 'POST', headers, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}
