import * as http from 'node:http';
import { inject, injectable } from 'inversify';
import { SpanKind } from '@opentelemetry/api';
import { SpanTag, Traced, TracerService } from '@tracery/core';

/** Where the inventory service listens (bound in the container). */
export const INVENTORY_URL = Symbol.for('demo.inventoryUrl');

/** Calls the inventory service (another process) over HTTP, the trace context in the request headers. */
@injectable()
export class InventoryClient {
  constructor(
    @inject(INVENTORY_URL) private readonly baseUrl: string,
    @inject(TracerService) private readonly tracer: TracerService,
  ) {}

  @Traced({ name: 'POST /reserve', kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST' } })
  async reserve(
    @SpanTag('product.sku') sku: string,
    @SpanTag('product.quantity') quantity: number,
  ): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    this.tracer.inject(headers);
    const answer = await post(`${this.baseUrl}/reserve`, headers, JSON.stringify({ sku, quantity }));
    this.tracer.setTag('http.response.status_code', answer.status);
    return answer.status === 200;
  }
}

function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
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
