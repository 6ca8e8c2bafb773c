import { validateHeaderName } from 'node:http';
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { JaegerPropagator } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';
import { captureDiag } from '../support/inMemoryPipeline';

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

  describe('when extracting uberctx- baggage', () => {
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

    it('writes nothing for an invalid span context', () => {
      const carrier: Record<string, unknown> = {};
      propagator.inject(ROOT_CONTEXT, carrier, headerSetter);
      expect(carrier).toEqual({});
    });
  });
});
