import { injectable } from 'inversify';
import { SpanKind } from '@opentelemetry/api';
import { SpanTag, Traced } from '@tracery/core';

export interface Order {
  id: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
}

/** Stands in for a database: CLIENT spans, as a real driver's would be. */
@injectable()
export class OrderRepository {
  private readonly orders = new Map<string, Order>();
  private readonly stock = new Map<string, number>([
    ['sku-apple', 10],
    ['sku-pear', 0],
  ]);

  @Traced({ kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'memory' } })
  async stockOf(@SpanTag('product.sku') sku: string): Promise<number> {
    await tick();
    return this.stock.get(sku) ?? 0;
  }

  @Traced({ kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'memory' } })
  @SpanTag('order.count', () => 1)
  async save(@SpanTag('order.id', 'id') order: Order): Promise<Order> {
    await tick();
    this.orders.set(order.id, order);
    return order;
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2));
}
