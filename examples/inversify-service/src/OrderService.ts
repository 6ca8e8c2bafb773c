import { inject, injectable } from 'inversify';
import { SpanTag, Traced, TracerService } from '@tracery/core';
import { OrderRepository, type Order } from './OrderRepository';

/** Thrown when an item is not in stock: the span of `placeOrder` is marked as an error. */
export class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(`out of stock: ${sku}`);
    this.name = 'OutOfStockError';
  }
}

@injectable()
export class OrderService {
  private nextId = 1;

  constructor(
    @inject(OrderRepository) private readonly repository: OrderRepository,
    @inject(TracerService) private readonly tracer: TracerService,
  ) {}

  /** One span per order, tagged with the customer (a dotted path into the argument) and the item count. */
  @Traced()
  @SpanTag('order.id', (order: Order) => order.id)
  async placeOrder(
    @SpanTag('customer.id', 'customerId') request: Omit<Order, 'id'>,
    @SpanTag('order.channel') channel: string,
  ): Promise<Order> {
    this.tracer.setTag('order.items', request.items.length);
    for (const item of request.items) {
      const stock = await this.repository.stockOf(item.sku);
      if (stock < item.quantity) throw new OutOfStockError(item.sku);
    }
    this.tracer.addEvent('stock checked', { 'order.channel': channel });
    return this.repository.save({ ...request, id: `o-${this.nextId++}` });
  }
}
