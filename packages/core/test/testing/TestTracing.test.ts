import { diag, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TestTracing } from '@tracery/core/testing';

const tracing = TestTracing.install();
const tracer = () => trace.getTracer('test');

afterEach(() => tracing.reset());
afterAll(() => tracing.uninstall());

async function placeOrder(fail = false): Promise<void> {
  await tracer().startActiveSpan(
    'place',
    { kind: SpanKind.SERVER, attributes: { 'order.id': 'o-1' } },
    async (span) => {
      await tracer().startActiveSpan('validate', async (child) => {
        await new Promise((resolve) => setImmediate(resolve));
        child.end();
      });
      tracer().startActiveSpan('save', (child) => {
        if (fail) child.setStatus({ code: SpanStatusCode.ERROR });
        child.end();
      });
      span.end();
    },
  );
}

describe('TestTracing', () => {
  describe('when spans were made under the installed pipeline', () => {
    it('finds them by name and by pattern', async () => {
      await placeOrder();
      expect(tracing.spansNamed('save')).toHaveLength(1);
      expect(tracing.spansNamed(/^(validate|save)$/)).toHaveLength(2);
      expect(tracing.spanNamed('place').attributes['order.id']).toBe('o-1');
    });

    it('accepts a tree that matches names, kinds, attributes, errors and child order', async () => {
      await placeOrder(true);
      expect(() =>
        tracing.expectTrace({
          name: 'place',
          kind: SpanKind.SERVER,
          attributes: { 'order.id': 'o-1' },
          children: [
            { name: 'validate', children: [] },
            { name: 'save', error: true },
          ],
        }),
      ).not.toThrow();
    });

    it('rejects a tree whose children differ, naming what differs', async () => {
      await placeOrder();
      expect(() =>
        tracing.expectTrace({ name: 'place', children: [{ name: 'save' }, { name: 'validate' }] }),
      ).toThrow(/place > save: name is validate/);
      expect(() => tracing.expectTrace({ name: 'place', children: [{ name: 'validate' }] })).toThrow(
        /2 children/,
      );
      expect(() =>
        tracing.expectTrace({
          name: 'place',
          children: [{ name: 'validate' }, { name: 'save', error: true }],
        }),
      ).toThrow(/status is UNSET/);
    });

    it('forgets ended spans on reset', async () => {
      await placeOrder();
      tracing.reset();
      expect(tracing.spans()).toEqual([]);
      expect(() => tracing.spanNamed('place')).toThrow(/found 0/);
    });
  });

  describe('when a span is never ended', () => {
    it('names it in expectNoOpenSpans, and passes once it ends', () => {
      const leaked = tracer().startSpan('leaked');
      expect(() => tracing.expectNoOpenSpans()).toThrow(/found 1: leaked/);
      leaked.end();
      expect(() => tracing.expectNoOpenSpans()).not.toThrow();
    });
  });
});

describe('TestTracing options', () => {
  describe('when asked to capture diagnostics and to check events and links', () => {
    it('keeps diag warnings, and expectTrace compares event names and link counts', async () => {
      await tracing.uninstall();
      const own = TestTracing.install({ captureDiagnostics: true });
      try {
        const span = trace.getTracer('test').startSpan('linked', {
          links: [{ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 } }],
        });
        span.recordException(new Error('boom'));
        span.end();
        expect(() => own.expectTrace({ name: 'linked', events: ['exception'], links: 1 })).not.toThrow();
        expect(() => own.expectTrace({ name: 'linked', events: [] })).toThrow(/events are \["exception"\]/);
        expect(() => own.expectTrace({ name: 'linked', links: 0 })).toThrow(/1 links, expected 0/);
        diag.warn('instrumentation fault');
        expect(own.diagnostics()).toEqual(['instrumentation fault']);
        expect(own.openSpans()).toEqual([]);
      } finally {
        await own.uninstall();
      }
    });
  });
});

describe('TestTracing.uninstall', () => {
  describe('when a pipeline is uninstalled', () => {
    it('stops recording and unregisters it, so the next pipeline starts on its own', async () => {
      const first = TestTracing.install();
      trace.getTracer('test').startSpan('first').end();
      expect(first.spans().map((s) => s.name)).toEqual(['first']);
      await first.uninstall();
      expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
      const second = TestTracing.install();
      try {
        trace.getTracer('test').startSpan('second').end();
        expect(second.spans().map((s) => s.name)).toEqual(['second']);
        expect(first.spans()).toEqual([]); // shut down: forgot its spans and received none since
      } finally {
        await second.uninstall();
      }
    });
  });
});
