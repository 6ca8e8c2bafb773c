import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { fcParentContext } from '../../src';

const fcContext = (openTracingSpanContext?: unknown, openTracingSpanBaggages: unknown = {}) => ({
  requestId: 'req-1',
  tracing: { openTracingSpanContext, openTracingSpanBaggages },
});

describe('fcParentContext', () => {
  describe('when FC gave a span context', () => {
    it("makes FC's span the remote parent", () => {
      const ctx = fcParentContext(fcContext('1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:1'), { base: ROOT_CONTEXT });
      expect(trace.getSpanContext(ctx)).toEqual({
        traceId: '00000000000000001f2e3d4c5b6a7988',
        spanId: 'a1b2c3d4e5f60718',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('keeps the unsampled flag, unless forceSample is set', () => {
      const value = fcContext('1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:0');
      expect(trace.getSpanContext(fcParentContext(value))?.traceFlags).toBe(TraceFlags.NONE);
      expect(trace.getSpanContext(fcParentContext(value, { forceSample: true }))?.traceFlags).toBe(
        TraceFlags.SAMPLED,
      );
    });

    it.each(['link', 'ignore'] as const)('sets no parent with fcContextPolicy %s', (policy) => {
      const ctx = fcParentContext(fcContext('1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:1'), {
        fcContextPolicy: policy,
      });
      expect(trace.getSpanContext(ctx)).toBeUndefined();
    });
  });

  describe('when FC gave baggage', () => {
    it('puts string, number and boolean items in the baggage and drops the rest', () => {
      const ctx = fcParentContext(
        fcContext('a:b:0:1', { tenant: 'acme', retries: 3, canary: true, nested: { no: 1 }, nothing: null }),
      );
      const baggage = propagation.getBaggage(ctx);
      expect(Object.fromEntries(baggage!.getAllEntries().map(([k, v]) => [k, v.value]))).toEqual({
        tenant: 'acme',
        retries: '3',
        canary: 'true',
      });
    });

    it('keeps at most 64 items and skips oversize values', () => {
      const items: Record<string, string> = { huge: 'x'.repeat(10_000) };
      for (let i = 0; i < 200; i++) items[`k${i}`] = 'v';
      const baggage = propagation.getBaggage(fcParentContext(fcContext(undefined, items)));
      expect(baggage!.getAllEntries()).toHaveLength(64);
      expect(baggage!.getEntry('huge')).toBeUndefined();
    });
  });

  describe('when tracing is off or the context is odd', () => {
    it.each([
      ['no tracing field', { requestId: 'r' }],
      ['tracing with only empty baggage', { tracing: { openTracingSpanBaggages: {} } }],
      ['a malformed span context', fcContext('not-a-span-context')],
      ['null', null],
      ['a string', 'context'],
      ['tracing that is a number', { tracing: 7 }],
    ])('returns the base context unchanged for %s', (_label, value) => {
      expect(fcParentContext(value, { base: ROOT_CONTEXT })).toBe(ROOT_CONTEXT);
    });

    it('does not throw on a context whose getters throw', () => {
      const hostile = {
        get tracing(): never {
          throw new Error('boom');
        },
      };
      expect(fcParentContext(hostile, { base: ROOT_CONTEXT })).toBe(ROOT_CONTEXT);
    });
  });
});
