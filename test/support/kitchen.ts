// A small piece of @Traced service code whose one trace uses every feature a collector has to carry: the four
// remote span kinds and an internal one, string, integer, floating-point, boolean and array tags (from
// @SpanTag, static attributes and setTags), an event with typed fields, a link, and an error caught by the
// caller. Shared by the wire-format tests (test/wire) and the real-Jaeger suite (test/e2e).
import { SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { SpanTag, Traced } from '@tracery/core';

/** A span of another trace, linked from `Courier.dispatch`. */
export const LINKED_TRACEPARENT = '00-5c1ea9c2a3d84b1b9c2f1e0d7a6b5c4d-1a2b3c4d5e6f7081-01';

export const AUDIT_ERROR_MESSAGE = 'audit log unavailable';

/** The spans of one `cook` call: name, kind, and parent name (undefined for the root). */
export const KITCHEN_SPANS = [
  { name: 'Kitchen.cook', kind: SpanKind.SERVER, parent: undefined },
  { name: 'Pantry.reserve', kind: SpanKind.CLIENT, parent: 'Kitchen.cook' },
  { name: 'Courier.dispatch', kind: SpanKind.PRODUCER, parent: 'Kitchen.cook' },
  { name: 'Courier.confirm', kind: SpanKind.CONSUMER, parent: 'Kitchen.cook' },
  { name: 'Pantry.audit', kind: SpanKind.INTERNAL, parent: 'Kitchen.cook' },
] as const;

export interface Order {
  id: string;
  dishes: string[];
}

export class Pantry {
  @Traced({ kind: SpanKind.CLIENT, attributes: { 'db.system': 'memory' } })
  async reserve(
    @SpanTag('pantry.sku') sku: string,
    @SpanTag('pantry.quantity') quantity: number,
  ): Promise<number> {
    await Promise.resolve();
    return sku.length + quantity;
  }

  @Traced()
  audit(): never {
    throw new TypeError(AUDIT_ERROR_MESSAGE);
  }
}

export class Courier {
  @Traced({ kind: SpanKind.PRODUCER, links: () => [LINKED_TRACEPARENT] })
  dispatch(@SpanTag('courier.zone') zone: string): string {
    return `sent to ${zone}`;
  }

  @Traced({ kind: SpanKind.CONSUMER })
  async confirm(): Promise<boolean> {
    return true;
  }
}

/** What the kitchen needs of its tracing: `TracerService` has it, as does a thin layer over the OpenTelemetry API. */
export interface ActiveSpanTags {
  setTags(attributes: Record<string, unknown>): void;
  addEvent(name: string, attributes?: Attributes): void;
}

export class Kitchen {
  constructor(
    private readonly tracing: ActiveSpanTags,
    private readonly pantry = new Pantry(),
    private readonly courier = new Courier(),
  ) {}

  /** Resolves with the trace id of its span. */
  @Traced({ kind: SpanKind.SERVER })
  async cook(@SpanTag('order.id', 'id') @SpanTag('order.dishes', 'dishes') order: Order): Promise<string> {
    this.tracing.setTags({ 'order.priority': 2, 'order.total': 12.5, 'order.express': true });
    this.tracing.addEvent('order.accepted', {
      'dish.count': order.dishes.length,
      station: 'grill',
      hot: true,
    });
    await this.pantry.reserve('flour', 3);
    this.courier.dispatch('north');
    await this.courier.confirm();
    try {
      this.pantry.audit();
    } catch {
      // the kitchen carries on without its audit log
    }
    return trace.getActiveSpan()!.spanContext().traceId;
  }
}
