import { inject, injectable } from 'inversify';
import { SpanTag, Traced, TracerService } from '@tracery/core';
import { CouponService } from './CouponService';
import { InventoryClient } from './InventoryClient';

export interface OrderRequest {
  orderId: string;
  customerId: string;
  coupon?: string;
  items: { sku: string; quantity: number }[];
}

export interface OrderResult {
  orderId: string;
  status: 'accepted' | 'rejected';
  discount: number;
}

@injectable()
export class OrderService {
  constructor(
    @inject(InventoryClient) private readonly inventory: InventoryClient,
    @inject(CouponService) private readonly coupons: CouponService,
    @inject(TracerService) private readonly tracer: TracerService,
  ) {}

  @Traced()
  @SpanTag('order.status', 'status')
  async placeOrder(
    @SpanTag('order.id', 'orderId') order: OrderRequest,
    @SpanTag('order.channel') channel: string,
  ): Promise<OrderResult> {
    this.tracer.setTags({ 'customer.id': order.customerId, 'order.items': order.items.length });
    let discount = 0;
    if (order.coupon) {
      try {
        discount = await this.coupons.discountFor(order.coupon);
      } catch (error) {
        this.tracer.addEvent('coupon ignored', {
          'coupon.code': order.coupon,
          reason: (error as Error).message,
          channel,
        });
      }
    }
    for (const item of order.items) {
      if (!(await this.inventory.reserve(item.sku, item.quantity))) {
        return { orderId: order.orderId, status: 'rejected', discount };
      }
    }
    return { orderId: order.orderId, status: 'accepted', discount };
  }
}
