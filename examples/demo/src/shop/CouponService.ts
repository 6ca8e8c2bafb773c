import { injectable } from 'inversify';
import { SpanTag, Traced } from '@tracery/core';

export class CouponExpiredError extends Error {
  constructor(code: string) {
    super(`coupon ${code} has expired`);
    this.name = 'CouponExpiredError';
  }
}

/** Knows one coupon, and it has expired: its span ends in error, the order goes on without the discount. */
@injectable()
export class CouponService {
  @Traced()
  async discountFor(@SpanTag('coupon.code') code: string): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 3));
    throw new CouponExpiredError(code);
  }
}
