import { TraceFlags } from '@opentelemetry/api';
import fc from 'fast-check';
import { formatJaegerSpanContext } from '@tracery/core';
import { parseFcSpanContext } from '../../src';

const hex = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'.split('')), minLength, maxLength });

describe('parseFcSpanContext', () => {
  describe('when the value is a well-formed FC span context', () => {
    it('left-pads a 64-bit trace id to 32 hex digits (high half zero)', () => {
      expect(parseFcSpanContext('1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:1')).toEqual({
        traceId: '00000000000000001f2e3d4c5b6a7988',
        spanId: 'a1b2c3d4e5f60718',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('left-pads a short span id and lower-cases the digits', () => {
      const parsed = parseFcSpanContext('ABC:1F:0:1');
      expect(parsed?.traceId).toBe('00000000000000000000000000000abc');
      expect(parsed?.spanId).toBe('000000000000001f');
    });

    it('keeps a 128-bit trace id as is', () => {
      expect(parseFcSpanContext('0123456789abcdef0123456789abcdef:1:0:1')?.traceId).toBe(
        '0123456789abcdef0123456789abcdef',
      );
    });

    it('honours the flags: 0 unsampled, 1 sampled, 2 (debug) sampled, 03 sampled', () => {
      expect(parseFcSpanContext('a:b:0:0')?.traceFlags).toBe(TraceFlags.NONE);
      expect(parseFcSpanContext('a:b:0:1')?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(parseFcSpanContext('a:b:0:2')?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(parseFcSpanContext('a:b:0:03')?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(parseFcSpanContext('a:b:0:04')?.traceFlags).toBe(TraceFlags.NONE);
    });
  });

  describe('when the value is malformed', () => {
    it.each([
      ['undefined', undefined],
      ['a number', 42],
      ['an object', { traceId: 'a' }],
      ['an empty string', ''],
      ['three fields', 'a:b:1'],
      ['five fields', 'a:b:0:1:2'],
      ['a non-hex trace id', 'xyz:b:0:1'],
      ['an all-zero trace id', '0000:b:0:1'],
      ['an all-zero span id', 'a:0000000000000000:0:1'],
      ['a 33-digit trace id', `${'1'.repeat(33)}:b:0:1`],
      ['a 17-digit span id', `a:${'1'.repeat(17)}:0:1`],
      ['a three-digit flags field', 'a:b:0:001'],
      ['surrounding whitespace', ' a:b:0:1 '],
      ['oversize input', `${'1'.repeat(10_000)}:b:0:1`],
    ])('returns undefined for %s', (_label, value) => {
      expect(parseFcSpanContext(value)).toBeUndefined();
    });
  });

  describe('when fuzzed', () => {
    it('never throws, whatever the input', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.anything(),
            fc.string({ maxLength: 200 }).map((s) => s.replace(/[^:]/g, '1')),
          ),
          (value) => {
            expect(() => parseFcSpanContext(value)).not.toThrow();
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('parses every well-formed string to padded, lower-case ids and round-trips through the Jaeger format', () => {
      fc.assert(
        fc.property(hex(1, 32), hex(1, 16), hex(1, 16), hex(1, 2), (traceId, spanId, parentId, flags) => {
          const parsed = parseFcSpanContext(`${traceId}:${spanId}:${parentId}:${flags}`);
          if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) {
            expect(parsed).toBeUndefined();
            return;
          }
          expect(parsed).toBeDefined();
          expect(parsed!.traceId).toBe(traceId.toLowerCase().padStart(32, '0'));
          expect(parsed!.spanId).toBe(spanId.toLowerCase().padStart(16, '0'));
          const sampled = (parseInt(flags, 16) & 0x03) !== 0;
          expect(parsed!.traceFlags).toBe(sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
          expect(parseFcSpanContext(formatJaegerSpanContext(parsed!))).toEqual(parsed);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
