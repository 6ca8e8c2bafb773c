import 'reflect-metadata';
import { Container } from 'inversify';
import { tracingModule } from '@tracery/core/inversify';
import { demoExporters } from '../exporters';
import { CouponService } from './CouponService';
import { INVENTORY_URL, InventoryClient } from './InventoryClient';
import { OrderService } from './OrderService';

/** The function's container: tracing (spans to the demo's collector, Jaeger Thrift over HTTP), then the services. */
export function createContainer(options: { collectorUrl: string; inventoryUrl: string }): Container {
  const container = new Container();
  container.load(
    tracingModule({
      serviceName: 'order-function',
      exporter: demoExporters(options.collectorUrl),
    }),
  );
  container.bind(INVENTORY_URL).toConstantValue(options.inventoryUrl);
  container.bind(InventoryClient).toSelf().inSingletonScope();
  container.bind(CouponService).toSelf().inSingletonScope();
  container.bind(OrderService).toSelf().inSingletonScope();
  return container;
}
