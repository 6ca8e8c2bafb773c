import { validateHeaderName } from 'node:http';
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { createPropagator, JaegerPropagator } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';
import { isDebug, rootDebugId, withDebug } from '../../src/propagation/samplingSignals';
import { captureDiag } from '../support/inMemoryPipeline';

/** jaeger-client's own span context (a real peer tracer's parser and writer of uber-trace-id). */
interface JaegerClientSpanContext {
  isDebug(): boolean;
  isSampled(): boolean;
  traceIdStr: string;
  spanIdStr: string;
  toString(): string;
}
const JaegerClientSpanContext = (
  require('jaeger-client/dist/src/span_context') as {
    default: {
      fromString(value: string): JaegerClientSpanContext | null;
      withStringIds(
        traceId: string,
        spanId: string,
        parentId: string | null,
        flags: number,
      ): JaegerClientSpanContext;
    };
  }
).default;

const propagator = new JaegerPropagator();
const extract = (carrier: unknown) => propagator.extract(ROOT_CONTEXT, carrier, headerGetter);

describe('JaegerPropagator', () => {
  describe('when extracting uber-trace-id', () => {
    it('pads 64-bit ids to OpenTelemetry widths', () => {
      expect(trace.getSpanContext(extract({ 'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c:0:1' }))).toEqual({
        traceId: '00000000000000005d2c3a1f9e8b7a60',
        spanId: '0000000000002b3c',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('accepts URL-encoded separators', () => {
      const ctx = extract({ 'uber-trace-id': '5d2c3a1f9e8b7a60%3A2b3c%3a0%3A1' });
      expect(trace.getSpanContext(ctx)?.spanId).toBe('0000000000002b3c');
    });

    it.each([
      ['a malformed value', 'not-a-context'],
      ['a zero trace id', '0:1:0:1'],
      ['an oversize value', `${'a'.repeat(5000)}:1:0:1`],
      ['a half-encoded oversize value', `${'%3A'.repeat(100)}`],
    ])('ignores %s', (_label, value) => {
      expect(trace.getSpanContext(extract({ 'uber-trace-id': value }))).toBeUndefined();
    });
  });

  describe('when the debug flag (0x02) is set', () => {
    it('reads it as sampled and keeps it for the trace', () => {
      const ctx = extract({ 'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c:0:3' });
      expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(isDebug(ctx)).toBe(true);
    });

    it('sends it on as :3 (issue 10: Jaeger’s debug flag left as :1), read as debug by jaeger-client', () => {
      const carrier: Record<string, string> = {};
      propagator.inject(extract({ 'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c:0:3' }), carrier, headerSetter);
      expect(carrier['uber-trace-id']).toBe('5d2c3a1f9e8b7a60:0000000000002b3c:0:3');
      const peer = JaegerClientSpanContext.fromString(carrier['uber-trace-id']);
      expect(peer?.isDebug()).toBe(true);
      expect(peer?.isSampled()).toBe(true);
    });

    it('reads what jaeger-client writes for a debug span', () => {
      const peer = JaegerClientSpanContext.withStringIds('a1b2c3d4e5f60718', '1122334455667788', null, 3);
      const ctx = extract({ 'uber-trace-id': peer.toString() });
      expect(trace.getSpanContext(ctx)).toMatchObject({
        traceId: '0000000000000000a1b2c3d4e5f60718',
        spanId: '1122334455667788',
      });
      expect(isDebug(ctx)).toBe(true);
    });

    it('writes debug for a context marked with withDebug', () => {
      const spanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED };
      const carrier: Record<string, string> = {};
      propagator.inject(withDebug(trace.setSpanContext(ROOT_CONTEXT, spanContext)), carrier, headerSetter);
      expect(JaegerClientSpanContext.fromString(carrier['uber-trace-id'])?.isDebug()).toBe(true);
    });
  });

  describe('when jaeger-debug-id is sent ("debug this request")', () => {
    it('asks, without uber-trace-id, that the next root be debug and tagged with the id', () => {
      const ctx = extract({ 'Jaeger-Debug-Id': ' ticket-4711 ' });
      expect(trace.getSpanContext(ctx)).toBeUndefined();
      expect(isDebug(ctx)).toBe(true);
      expect(rootDebugId(ctx)).toBe('ticket-4711');
    });

    it('is ignored with a valid uber-trace-id (that trace continues), as Jaeger clients ignore it', () => {
      const ctx = extract({ 'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c:0:1', 'jaeger-debug-id': 'ticket-4711' });
      expect(isDebug(ctx)).toBe(false);
      expect(rootDebugId(ctx)).toBeUndefined();
    });

    it('is ignored after a trace context read before (a traceparent, by a composite propagator)', () => {
      const withParent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        traceFlags: TraceFlags.NONE,
      });
      const ctx = propagator.extract(withParent, { 'jaeger-debug-id': 'ticket-4711' }, headerGetter);
      expect(isDebug(ctx)).toBe(false);
    });

    it('is ignored when empty or longer than 256 characters', () => {
      expect(isDebug(extract({ 'jaeger-debug-id': '  ' }))).toBe(false);
      expect(isDebug(extract({ 'jaeger-debug-id': 'x'.repeat(257) }))).toBe(false);
      expect(rootDebugId(extract({ 'jaeger-debug-id': 'x'.repeat(256) }))).toBe('x'.repeat(256));
    });
  });

  describe('when extracting uberctx- baggage', () => {
    it('reads + as a space, as Jaeger’s Go and Ruby clients write it (issue 10: gold+silver)', () => {
      const baggage = propagation.getBaggage(
        extract({ 'uberctx-note': 'gold+silver', 'uberctx-sum': '1%2B1' }),
      );
      expect(baggage?.getEntry('note')?.value).toBe('gold silver');
      expect(baggage?.getEntry('sum')?.value).toBe('1+1');
    });

    it('keeps commas inside a value (one header, not a list)', () => {
      expect(propagation.getBaggage(extract({ 'uberctx-list': 'a,b' }))?.getEntry('list')?.value).toBe('a,b');
    });

    it('reads URL-encoded values under lower-cased keys', () => {
      const baggage = propagation.getBaggage(
        extract({ 'Uberctx-User': 'ada%20lovelace', 'uberctx-x': 'plain' }),
      );
      expect(baggage?.getEntry('user')?.value).toBe('ada lovelace');
      expect(baggage?.getEntry('x')?.value).toBe('plain');
    });

    it('skips values that do not decode and bounds the number of entries', () => {
      const carrier: Record<string, string> = { 'uberctx-bad': '%E0%A4%A' };
      for (let i = 0; i < 1000; i++) carrier[`uberctx-k${i}`] = 'v';
      const baggage = propagation.getBaggage(extract(carrier))!;
      expect(baggage.getEntry('bad')).toBeUndefined();
      expect(baggage.getAllEntries().length).toBeLessThanOrEqual(180);
    });
  });

  describe('when injecting', () => {
    it('writes uber-trace-id and uberctx- headers', () => {
      const spanContext = { traceId: '0'.repeat(16) + 'a'.repeat(16), spanId: 'b'.repeat(16), traceFlags: 1 };
      const ctx = propagation.setBaggage(
        trace.setSpanContext(ROOT_CONTEXT, spanContext),
        propagation.createBaggage({ user: { value: 'a b' } }),
      );
      const carrier: Record<string, unknown> = {};
      propagator.inject(ctx, carrier, headerSetter);
      expect(carrier).toEqual({
        'uber-trace-id': `${'a'.repeat(16)}:${'b'.repeat(16)}:0:1`,
        'uberctx-user': 'a%20b',
      });
    });

    it('skips baggage keys that cannot be HTTP header names (from hostile incoming baggage), reporting once', () => {
      const w3c = new W3CBaggagePropagator();
      const hostile = w3c.extract(ROOT_CONTEXT, { baggage: 'a%20b=1,ok=2,bad%0Akey=3,(x)=4' }, headerGetter);
      const diagnostics = captureDiag();
      const carrier: Record<string, string> = {};
      propagator.inject(hostile, carrier, headerSetter);
      propagator.inject(hostile, {}, headerSetter);
      diagnostics.restore();
      expect(carrier).toEqual({ 'uberctx-ok': '2' });
      for (const name of Object.keys(carrier)) expect(() => validateHeaderName(name)).not.toThrow();
      expect(diagnostics.messages.filter((m) => m.includes('header name'))).toHaveLength(1);
    });

    it('never throws from the global propagation.inject for a lone surrogate in baggage (issue 10: URIError)', () => {
      propagation.setGlobalPropagator(createPropagator('jaeger'));
      const diagnostics = captureDiag();
      try {
        const baggage = propagation.createBaggage({
          bad: { value: 'x\udc00' },
          good: { value: 'gold silver' },
        });
        const carrier: Record<string, string> = {};
        expect(() =>
          propagation.inject(propagation.setBaggage(context.active(), baggage), carrier),
        ).not.toThrow();
        expect(carrier).toEqual({ 'uberctx-good': 'gold%20silver' });
        expect(diagnostics.messages.some((m) => m.includes('lone surrogate'))).toBe(true);
      } finally {
        diagnostics.restore();
        propagation.disable();
      }
    });

    it('writes nothing for an invalid span context', () => {
      const carrier: Record<string, unknown> = {};
      propagator.inject(ROOT_CONTEXT, carrier, headerSetter);
      expect(carrier).toEqual({});
    });
  });
});
