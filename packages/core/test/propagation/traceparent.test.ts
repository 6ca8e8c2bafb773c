import { TraceFlags } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '../../src/propagation/traceparent';

const TRACE = '12345678901234567890123456789012';
const SPAN = '1234567890123456';
const VALID = `00-${TRACE}-${SPAN}-01`;

describe('parseTraceparent (W3C Trace Context, Level 2)', () => {
  describe('when the value is well formed', () => {
    it('reads version 00: trace id, parent id, sampled flag', () => {
      expect(parseTraceparent(VALID)).toEqual({
        version: '00',
        traceId: TRACE,
        spanId: SPAN,
        sampled: true,
        randomTraceId: false,
      });
    });

    it.each([
      ['00', false, false],
      ['01', true, false],
      ['02', false, true],
      ['03', true, true],
      ['09', true, false],
      ['fe', false, true],
    ])('reads flags %s bit by bit (sampled %s, random %s)', (flags, sampled, randomTraceId) => {
      expect(parseTraceparent(`00-${TRACE}-${SPAN}-${flags}`)).toMatchObject({ sampled, randomTraceId });
    });

    it.each([
      ['a later version of exactly 55 characters', `cc-${TRACE}-${SPAN}-01`],
      [
        'a later version followed by fields it does not know',
        `cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`,
      ],
    ])('reads the known fields of %s', (_label, value) => {
      expect(parseTraceparent(value)).toMatchObject({
        version: 'cc',
        traceId: TRACE,
        spanId: SPAN,
        sampled: true,
      });
    });
  });

  describe('when the value is malformed', () => {
    it.each([
      ['version 00 with a trailing character', `${VALID}.`],
      ['version 00 with more fields', `${VALID}-what-the-future-will-be-like`],
      [
        'a later version whose flags are followed by something other than a dash',
        `cc-${TRACE}-${SPAN}-01.what`,
      ],
      ['version ff (forbidden)', `ff-${TRACE}-${SPAN}-01`],
      ['an illegal character in the version', `.0-${TRACE}-${SPAN}-01`],
      ['an illegal character at the end of the version', `0.-${TRACE}-${SPAN}-01`],
      ['a version of 3 digits', `000-${TRACE}-${SPAN}-01`],
      ['a version of 4 digits', `0000-${TRACE}-${SPAN}-01`],
      ['a version of 1 digit', `0-${TRACE}-${SPAN}-01`],
      ['an upper-case version', `0A-${TRACE}-${SPAN}-01`],
      ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
      ['an illegal character at the start of the trace id', `00-.${TRACE.slice(1)}-${SPAN}-01`],
      ['an illegal character at the end of the trace id', `00-${TRACE.slice(0, 31)}.-${SPAN}-01`],
      ['a trace id of 33 digits', `00-${TRACE}3-${SPAN}-01`],
      ['a trace id of 31 digits', `00-${TRACE.slice(1)}-${SPAN}-01`],
      ['an upper-case trace id', `00-${TRACE.replace(/1/g, 'A')}-${SPAN}-01`],
      ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
      ['an illegal character at the start of the parent id', `00-${TRACE}-.${SPAN.slice(1)}-01`],
      ['an illegal character at the end of the parent id', `00-${TRACE}-${SPAN.slice(0, 15)}.-01`],
      ['a parent id of 17 digits', `00-${TRACE}-${SPAN}7-01`],
      ['a parent id of 15 digits', `00-${TRACE}-${SPAN.slice(1)}-01`],
      ['an upper-case parent id', `00-${TRACE}-ABCDEF7890123456-01`],
      ['an illegal character at the start of the flags', `00-${TRACE}-${SPAN}-.0`],
      ['an illegal character at the end of the flags', `00-${TRACE}-${SPAN}-0.`],
      ['flags of 3 digits', `00-${TRACE}-${SPAN}-001`],
      ['flags of 1 digit', `00-${TRACE}-${SPAN}-1`],
      ['two values joined by a comma (a repeated header)', `${VALID}, ${VALID}`],
      ['a later version shorter than 55 characters', `cc-${TRACE}-${SPAN}-1`],
      ['a value over 512 characters', `cc-${TRACE}-${SPAN}-01-${'x'.repeat(500)}`],
      ['an empty value', ''],
    ])('rejects %s', (_label, value) => {
      expect(parseTraceparent(value)).toBeUndefined();
    });
  });
});

describe('formatTraceparent', () => {
  const spanContext = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED };

  it('writes version 00 with the sampled and random flags only', () => {
    expect(formatTraceparent(spanContext, true, false)).toBe(VALID);
    expect(formatTraceparent(spanContext, false, true)).toBe(`00-${TRACE}-${SPAN}-02`);
    expect(formatTraceparent(spanContext, true, true)).toBe(`00-${TRACE}-${SPAN}-03`);
    expect(formatTraceparent(spanContext, false, false)).toBe(`00-${TRACE}-${SPAN}-00`);
  });

  it('writes ids lower-case whatever case the span context holds', () => {
    const shouted = { traceId: 'ABCDEF'.padEnd(32, '1'), spanId: 'ABCDEF'.padEnd(16, '2'), traceFlags: 1 };
    expect(formatTraceparent(shouted, true, false)).toBe(
      `00-${'abcdef'.padEnd(32, '1')}-${'abcdef'.padEnd(16, '2')}-01`,
    );
  });
});
