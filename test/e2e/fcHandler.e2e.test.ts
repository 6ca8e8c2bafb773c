import { trace, type Attributes } from '@opentelemetry/api';
import { invokeLocal, tracedHandler, type FcCallback, type FcContext } from '@tracery/fc';
import { Kitchen, type ActiveSpanTags, type Order } from '../support/kitchen';
import { startJaeger, type RunningJaeger } from './jaeger/jaeger';
import { normaliseId, readSpans, spanNamed, treesOf, type ReadSpan } from './jaeger/jaegerApi';
import {
  bool,
  expectedKitchenLogs,
  expectedKitchenTags,
  int64,
  KITCHEN_ORDER,
  string,
} from './kitchenInJaeger';

/** The parts of jaeger-client (no type declarations) that stand in for FC's own tracer. */
interface JaegerClientSpan {
  context(): { toString(): string; traceIdStr: string; spanIdStr: string };
  finish(): void;
}
interface JaegerClientTracer {
  startSpan(name: string): JaegerClientSpan;
  close(callback: () => void): void;
}
const { initTracer } = require('jaeger-client') as {
  initTracer(config: object, options: object): JaegerClientTracer;
};

const FC_SERVICE = 'fc-kitchen';
const CLOSED_MESSAGE = 'the kitchen is closed';

// The handler's own spans record through the OpenTelemetry API: @tracery/fc builds the provider.
const activeSpan: ActiveSpanTags = {
  setTags: (attributes) => trace.getActiveSpan()?.setAttributes(attributes as Attributes),
  addEvent: (name, attributes) => trace.getActiveSpan()?.addEvent(name, attributes),
};
const kitchen = new Kitchen(activeSpan);

const cookOrder = tracedHandler(async (event: Buffer) => kitchen.cook(JSON.parse(event.toString()) as Order));
const closeKitchen = tracedHandler((_event: Buffer, _context: FcContext, callback: FcCallback<string>) => {
  callback(new Error(CLOSED_MESSAGE));
});

interface Invocation {
  /** FC's span: 16 hex digits each, as Jaeger's query API gives them (FC sends 64-bit trace ids). */
  fcTraceId: string;
  fcSpanId: string;
  requestId: string;
  outcome: PromiseSettledResult<unknown>;
}

describe('tracedHandler invoked as FC invokes it, exporting to a real Jaeger', () => {
  let jaeger: RunningJaeger;
  let fc: JaegerClientTracer;
  let cooked: Invocation;
  let closed: Invocation;

  /**
   * One FC call: FC's own span (recorded and reported by jaeger-client, as FC's platform reports its spans),
   * its context string in `context.tracing.openTracingSpanContext` (64-bit ids, leading zeros dropped, as a
   * Jaeger client writes them), Jaeger's Thrift endpoint in `jaegerEndpoint`.
   */
  async function invoke(
    handler: typeof cookOrder | typeof closeKitchen,
    functionName: string,
    event: unknown,
  ): Promise<Invocation> {
    const fcSpan = fc.startSpan(`${FC_SERVICE}/${functionName}`);
    const requestId = `req-${functionName}`;
    const outcome = await Promise.allSettled([
      invokeLocal(handler, {
        event,
        tracing: {
          openTracingSpanContext: fcSpan.context().toString(),
          jaegerEndpoint: jaeger.thriftHttpUrl,
        },
        context: { requestId, service: { name: FC_SERVICE }, function: { name: functionName } },
      }),
    ]);
    fcSpan.finish();
    return {
      fcTraceId: normaliseId(fcSpan.context().traceIdStr, 16),
      fcSpanId: normaliseId(fcSpan.context().spanIdStr, 16),
      requestId,
      outcome: outcome[0],
    };
  }

  async function spansOf(invocation: Invocation, count: number): Promise<ReadSpan[]> {
    return readSpans(await jaeger.waitForTrace(invocation.fcTraceId, count));
  }

  beforeAll(async () => {
    jaeger = await startJaeger();
    fc = initTracer(
      {
        serviceName: 'fc-platform',
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: jaeger.thriftHttpUrl },
      },
      {},
    );
    cooked = await invoke(cookOrder, 'cook-order', KITCHEN_ORDER);
    closed = await invoke(closeKitchen, 'close-kitchen', {});
    await new Promise<void>((resolve) => fc.close(resolve)); // reports FC's spans
  });

  afterAll(async () => {
    await jaeger?.stop();
  });

  describe('when the handler succeeds', () => {
    let spans: ReadSpan[];

    beforeAll(async () => {
      spans = await spansOf(cooked, 7);
    });

    it('returns the handler result to FC', () => {
      expect(cooked.outcome).toEqual({
        status: 'fulfilled',
        value: expect.stringMatching(/^0{16}[0-9a-f]{16}$/),
      });
    });

    it("stores one tree under FC's span: the invocation, then the service code", () => {
      expect(spans).toHaveLength(7);
      const node = (name: string, kind: string) => ({ name, service: FC_SERVICE, kind, children: [] });
      expect(treesOf(spans)).toEqual([
        {
          name: `${FC_SERVICE}/cook-order`,
          service: 'fc-platform',
          kind: 'internal',
          children: [
            {
              ...node('cook-order', 'server'),
              children: [
                {
                  ...node('Kitchen.cook', 'server'),
                  children: [
                    node('Courier.confirm', 'consumer'),
                    node('Courier.dispatch', 'producer'),
                    node('Pantry.audit', 'internal'),
                    node('Pantry.reserve', 'client'),
                  ],
                },
              ],
            },
          ],
        },
      ]);
    });

    it("makes the invocation span a child of FC's span, in FC's trace", () => {
      expect(spanNamed(spans, 'cook-order').parentId).toBe(cooked.fcSpanId);
      expect(cooked.outcome).toMatchObject({ value: `${'0'.repeat(16)}${cooked.fcTraceId}` });
    });

    it('tags the invocation span with the FC semantic conventions', () => {
      expect(spanNamed(spans, 'cook-order').tags).toMatchObject({
        'faas.invocation.id': string(cooked.requestId),
        'faas.trigger': string('other'),
        'faas.coldstart': bool(true),
        'otel.scope.name': string('@tracery/fc'),
      });
    });

    it('describes the function in the process tags', () => {
      for (const span of spans.filter((s) => s.service === FC_SERVICE)) {
        expect(span.processTags).toMatchObject({
          'cloud.provider': string('alibaba_cloud'),
          'cloud.platform': string('alibaba_cloud_fc'),
          'cloud.region': string('cn-hangzhou'),
          'faas.name': string('cook-order'),
          'faas.max_memory': int64(128 * 1024 * 1024),
        });
      }
    });

    it('keeps the typed tags and logs of the service code', () => {
      const tags = expectedKitchenTags('typed');
      const logs = expectedKitchenLogs('typed');
      for (const name of Object.keys(tags)) {
        expect({ [name]: spanNamed(spans, name).tags }).toMatchObject({ [name]: tags[name] });
        expect({ [name]: spanNamed(spans, name).logs }).toEqual({ [name]: logs[name] ?? [] });
      }
      expect(spans.filter((span) => span.error).map((span) => span.name)).toEqual(['Pantry.audit']);
    });

    it("records none of FC's credentials", () => {
      const values = spans.flatMap((span) => [
        ...Object.values(span.tags),
        ...Object.values(span.processTags),
        ...span.logs.flatMap((log) => Object.values(log)),
      ]);
      expect(values.filter((typed) => /LOCAL-PLACEHOLDER/.test(String(typed.value)))).toEqual([]);
    });
  });

  describe('when a callback-style handler fails', () => {
    let spans: ReadSpan[];

    beforeAll(async () => {
      spans = await spansOf(closed, 2);
    });

    it('hands the error back to FC', () => {
      expect(closed.outcome).toEqual({ status: 'rejected', reason: new Error(CLOSED_MESSAGE) });
    });

    it("stores the invocation span under FC's span, flagged as an error with the exception logged", () => {
      expect(treesOf(spans)).toEqual([
        {
          name: `${FC_SERVICE}/close-kitchen`,
          service: 'fc-platform',
          kind: 'internal',
          children: [{ name: 'close-kitchen', service: FC_SERVICE, kind: 'server', children: [] }],
        },
      ]);
      const invocation = spanNamed(spans, 'close-kitchen');
      expect(invocation).toMatchObject({ parentId: closed.fcSpanId, error: true });
      expect(invocation.tags).toMatchObject({
        'faas.coldstart': bool(false),
        'otel.status_code': string('ERROR'),
      });
      expect(invocation.logs).toEqual([
        expect.objectContaining({ event: string('exception'), 'exception.message': string(CLOSED_MESSAGE) }),
      ]);
    });
  });
});
