// What the kitchen's trace (test/support/kitchen.ts) looks like in Jaeger's query API, by what the format
// that carried it can hold.
import { AUDIT_ERROR_MESSAGE, type Order } from '../support/kitchen';
import type { Typed } from './jaeger/jaegerApi';

/**
 * How much of a span a format carries. Jaeger Thrift and OTLP carry typed values, events with their fields,
 * links and the status description; Zipkin v2 carries strings only (`@opentelemetry/exporter-zipkin` writes
 * `String(value)`: an array becomes `a,b`), events as bare annotations, no links, no instrumentation scope,
 * and Jaeger's Zipkin receiver keeps the error flag but not the status description.
 */
export type Fidelity = 'typed' | 'zipkin';

/** The order the e2e tests cook; the expectations below are of its trace. */
export const KITCHEN_ORDER: Order = { id: 'o-1', dishes: ['soup', 'bread'] };

export const string = (value: string): Typed => ({ type: 'string', value });
export const int64 = (value: number): Typed => ({ type: 'int64', value });
export const float64 = (value: number): Typed => ({ type: 'float64', value });
export const bool = (value: boolean): Typed => ({ type: 'bool', value });

/** The tags each span must have (others may be there too), as Jaeger shows them. */
export function expectedKitchenTags(fidelity: Fidelity): Record<string, Record<string, Typed>> {
  const typed = fidelity === 'typed';
  const scope: Record<string, Typed> = typed ? { 'otel.scope.name': string('@tracery/core') } : {};
  return {
    'Kitchen.cook': {
      ...scope,
      'order.id': string(KITCHEN_ORDER.id),
      'order.dishes': string(JSON.stringify(KITCHEN_ORDER.dishes)),
      'order.priority': typed ? int64(2) : string('2'),
      'order.total': typed ? float64(12.5) : string('12.5'),
      'order.express': typed ? bool(true) : string('true'),
    },
    'Pantry.reserve': {
      ...scope,
      'db.system': string('memory'),
      'pantry.sku': string('flour'),
      'pantry.quantity': typed ? int64(3) : string('3'),
    },
    'Courier.dispatch': { ...scope, 'courier.zone': string('north') },
    'Courier.confirm': { ...scope },
    'Pantry.audit': {
      ...scope,
      error: bool(true),
      'otel.status_code': string('ERROR'),
      ...(typed ? { 'otel.status_description': string(AUDIT_ERROR_MESSAGE) } : {}),
    },
  };
}

export function expectedKitchenLogs(fidelity: Fidelity): Record<string, Record<string, Typed>[]> {
  if (fidelity === 'zipkin') {
    // Zipkin annotations are strings: the event's attributes follow its name as JSON.
    const accepted = { 'dish.count': KITCHEN_ORDER.dishes.length, station: 'grill', hot: true };
    return {
      'Kitchen.cook': [{ event: string(`order.accepted ${JSON.stringify(accepted)}`) }],
      'Pantry.audit': [
        { event: { type: 'string', value: expect.stringMatching(/^exception \{"exception\./) } },
      ],
    };
  }
  return {
    'Kitchen.cook': [
      {
        event: string('order.accepted'),
        'dish.count': int64(KITCHEN_ORDER.dishes.length),
        station: string('grill'),
        hot: bool(true),
      },
    ],
    'Pantry.audit': [
      expect.objectContaining({
        event: string('exception'),
        'exception.type': string('TypeError'),
        'exception.message': string(AUDIT_ERROR_MESSAGE),
        'exception.stacktrace': expect.objectContaining({ type: 'string' }),
      }),
    ],
  };
}
