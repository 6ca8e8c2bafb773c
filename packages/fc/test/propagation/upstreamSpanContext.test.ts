import { TraceFlags } from '@opentelemetry/api';
import fc from 'fast-check';
import { upstreamSpanContext } from '../../src/propagation/upstreamSpanContext';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('upstreamSpanContext', () => {
  describe('when a traceparent header is present', () => {
    it('reads it, whatever the header name case', () => {
      expect(upstreamSpanContext({ TraceParent: `00-${TRACE}-${SPAN}-01` })).toEqual({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('prefers it over uber-trace-id and b3', () => {
      const parsed = upstreamSpanContext({
        'uber-trace-id': '1:2:0:1',
        b3: `${TRACE}-${SPAN}-1`,
        traceparent: `00-${TRACE}-${SPAN}-00`,
      });
      expect(parsed?.traceFlags).toBe(TraceFlags.NONE);
    });

    it('rejects version ff, all-zero ids and extra fields on version 00', () => {
      expect(upstreamSpanContext({ traceparent: `ff-${TRACE}-${SPAN}-01` })).toBeUndefined();
      expect(upstreamSpanContext({ traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` })).toBeUndefined();
      expect(upstreamSpanContext({ traceparent: `00-${TRACE}-${SPAN}-01-extra` })).toBeUndefined();
    });
  });

  describe('when only uber-trace-id is present', () => {
    it('reads it, URL-encoded or not, padding short ids', () => {
      expect(upstreamSpanContext({ 'uber-trace-id': 'abc%3Adef%3A0%3A1' })).toMatchObject({
        traceId: '00000000000000000000000000000abc',
        spanId: '0000000000000def',
        traceFlags: TraceFlags.SAMPLED,
      });
    });

    it('ignores a malformed escape', () => {
      expect(upstreamSpanContext({ 'uber-trace-id': '%E0%A4%A' })).toBeUndefined();
    });
  });

  describe('when only B3 headers are present', () => {
    it('reads the single b3 header', () => {
      expect(upstreamSpanContext({ b3: `a3ce929d0e0e4736-${SPAN}-d` })).toMatchObject({
        traceId: `0000000000000000a3ce929d0e0e4736`,
        spanId: SPAN,
        traceFlags: TraceFlags.SAMPLED,
      });
    });

    it('reads the X-B3-* headers', () => {
      expect(
        upstreamSpanContext({ 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN, 'X-B3-Sampled': '0' }),
      ).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
    });

    it('takes the first value of a repeated header', () => {
      expect(upstreamSpanContext({ b3: [`${TRACE}-${SPAN}-1`, 'junk'] })?.traceId).toBe(TRACE);
    });
  });

  describe('when the headers are hostile', () => {
    it('ignores values longer than 512 characters', () => {
      expect(
        upstreamSpanContext({ traceparent: `00-${TRACE}-${SPAN}-01${' '.repeat(600)}` }),
      ).toBeUndefined();
    });

    it('returns undefined for non-objects', () => {
      for (const value of [undefined, null, 'traceparent', 3, []])
        expect(upstreamSpanContext(value)).toBeUndefined();
    });

    it('never throws on arbitrary header objects', () => {
      const name = fc.constantFrom(
        'traceparent',
        'uber-trace-id',
        'b3',
        'x-b3-traceid',
        'x-b3-spanid',
        'X-B3-Sampled',
      );
      fc.assert(
        fc.property(fc.dictionary(fc.oneof(name, fc.string()), fc.anything()), (headers) => {
          expect(() => upstreamSpanContext(headers)).not.toThrow();
        }),
        { numRuns: 1000 },
      );
    });
  });
});
