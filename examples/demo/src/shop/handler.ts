import type { Container } from 'inversify';
import { TracerService } from '@tracery/core';
import { tracedHandler } from '@tracery/fc';
import { OrderService, type OrderRequest } from './OrderService';

/**
 * The FC function: an async event handler whose order service comes from the container. `tracedHandler`
 * makes its invocation span a child of FC's span and flushes the container's provider before returning.
 */
export function createHandler(container: Container) {
  const orders = container.get(OrderService);
  return tracedHandler(
    async (event: Buffer) => {
      const order = JSON.parse(event.toString('utf8')) as OrderRequest;
      return orders.placeOrder(order, 'mobile-app');
    },
    { tracerService: container.get(TracerService) },
  );
}
