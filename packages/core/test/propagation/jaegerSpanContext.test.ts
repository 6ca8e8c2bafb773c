import { TraceFlags } from '@opentelemetry/api';
import fc from 'fast-check';
import { formatJaegerSpanContext, parseJaegerSpanContext } from '@tracery/core';

describe('parseJaegerSpanContext', () => {
  describe('when the value is well formed', () => {
    it('left-pads a 64-bit trace id and a short span id to OpenTelemetry widths', () => {
      expect(parseJaegerSpanContext('5d2c3a1f9e8b7a60:2b3c:0:1')).toEqual({
        traceId: '00000000000000005d2c3a1f9e8b7a60',
        spanId: '0000000000002b3c',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('keeps a full 128-bit trace id and lowercases hex digits', () => {
      const ctx = parseJaegerSpanContext('ABCDEF0123456789abcdef0123456789:00000000000000AF:0:01');
      expect(ctx?.traceId).toBe('abcdef0123456789abcdef0123456789');
      expect(ctx?.spanId).toBe('00000000000000af');
    });

    it.each([
      ['0', TraceFlags.NONE],
      ['1', TraceFlags.SAMPLED],
      ['2', TraceFlags.SAMPLED],
      ['3', TraceFlags.SAMPLED],
      ['04', TraceFlags.NONE],
      ['ff', TraceFlags.SAMPLED],
    ])('reads flags %s as trace flags %d (debug counts as sampled)', (flags, expected) => {
      expect(parseJaegerSpanContext(`1:2:0:${flags}`)?.traceFlags).toBe(expected);
    });
  });

  describe('when the value is malformed', () => {
    it.each([
      ['not a string', 42],
      ['undefined', undefined],
      ['an object', { toString: () => '1:2:0:1' }],
      ['too few fields', '1:2:1'],
      ['too many fields', '1:2:0:1:5'],
      ['an all-zero trace id', '0000:2:0:1'],
      ['an all-zero span id', '1:000:0:1'],
      ['a trace id over 32 digits', `${'1'.repeat(33)}:2:0:1`],
      ['a span id over 16 digits', `1:${'2'.repeat(17)}:0:1`],
      ['flags over one byte', '1:2:0:100'],
      ['non-hex digits', '1g:2:0:1'],
      ['empty fields', '1::0:1'],
      ['surrounding white space', ' 1:2:0:1'],
      ['a URL-encoded separator', '1%3A2%3A0%3A1'],
      ['oversize input', `${'1'.repeat(10_000)}:2:0:1`],
    ])('returns undefined for %s', (_label, value) => {
      expect(parseJaegerSpanContext(value)).toBeUndefined();
    });
  });
});

describe('parseJaegerSpanContext against the format as a regular expression', () => {
  // The format's definition, as the parser read it before it became a hand-written scan.
  const FORMAT = /^([0-9a-fA-F]{1,32}):([0-9a-fA-F]{1,16}):([0-9a-fA-F]{1,16}):([0-9a-fA-F]{1,2})$/;
  const reference = (value: string) => {
    const match = value.length <= 69 ? FORMAT.exec(value) : null;
    if (match === null || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
    const flags = parseInt(match[4], 16);
    return {
      traceId: match[1].toLowerCase().padStart(32, '0'),
      spanId: match[2].toLowerCase().padStart(16, '0'),
      traceFlags: (flags & 3) !== 0 ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    };
  };
  const field = (maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg: %'), minLength: 0, maxLength });

  it('reads every value as the expression does (property)', () => {
    const values = fc.oneof(
      fc.tuple(field(34), field(18), field(18), field(3)).map((parts) => parts.join(':')),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(parseJaegerSpanContext(value)).toEqual(reference(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatJaegerSpanContext', () => {
  it('writes a 64-bit trace id as 16 digits and round-trips through the parser', () => {
    const ctx = parseJaegerSpanContext('5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1')!;
    expect(formatJaegerSpanContext(ctx)).toBe('5d2c3a1f9e8b7a60:1a2b3c4d5e6f7081:0:1');
    expect(parseJaegerSpanContext(formatJaegerSpanContext(ctx))).toEqual(ctx);
  });
});
