import fc from 'fast-check';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type TextMapPropagator } from '@opentelemetry/api';
import { createPropagator, type PropagationFormat } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';

// Property tests of the four extractors. Each value is checked against an oracle written here from the specs
// (split into fields and checked one by one, not the propagators' regular expressions): a value the oracle
// rejects must leave the context unchanged, one it accepts must give exactly its ids. Whatever is read, every
// header injected from the result, in every format, must be well formed.

const RUNS = 100_000;
const FORMATS: PropagationFormat[] = ['w3c', 'jaeger', 'b3', 'b3single'];
const propagators = Object.fromEntries(FORMATS.map((f) => [f, createPropagator(f)])) as Record<
  PropagationFormat,
  TextMapPropagator
>;
const BASE: Context = ROOT_CONTEXT.setValue(Symbol('base'), true);

interface Expected {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const isHex = (text: string, lengths: number[], lowerOnly = false) =>
  lengths.includes(text.length) &&
  [...text].every((c) => (lowerOnly ? '0123456789abcdef' : '0123456789abcdefABCDEF').includes(c));
const isZero = (text: string) => [...text].every((c) => c === '0');
const trimOws = (text: string) => {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
};
/** B3 and Jaeger: the first of comma-joined values wins. */
const firstOf = (text: string) => trimOws(text.split(',')[0]);

function expectedTraceparent(raw: string): Expected | undefined {
  const value = trimOws(raw);
  if (value.length > 512) return undefined;
  const [version, traceId, spanId, flags, ...rest] = value.split('-');
  if (flags === undefined || !isHex(version, [2], true) || version === 'ff') return undefined;
  if (version === '00' && rest.length > 0) return undefined;
  if (!isHex(traceId, [32], true) || !isHex(spanId, [16], true) || !isHex(flags, [2], true)) return undefined;
  if (isZero(traceId) || isZero(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

function expectedUberTraceId(raw: string): Expected | undefined {
  const first = firstOf(raw);
  if (first.length > 75) return undefined;
  const fields = first.replace(/%3a/gi, ':').split(':');
  if (fields.length !== 4) return undefined;
  const [traceId, spanId, parentId, flags] = fields;
  const hexUpTo = (text: string, max: number) =>
    text.length >= 1 &&
    isHex(
      text,
      Array.from({ length: max }, (_, i) => i + 1),
    );
  if (!hexUpTo(traceId, 32) || !hexUpTo(spanId, 16) || !hexUpTo(parentId, 16) || !hexUpTo(flags, 2))
    return undefined;
  if (isZero(traceId) || isZero(spanId)) return undefined;
  return {
    traceId: traceId.toLowerCase().padStart(32, '0'),
    spanId: spanId.toLowerCase().padStart(16, '0'),
    sampled: (parseInt(flags, 16) & 3) !== 0,
  };
}

/** `null`: a sampling state alone (no ids), `undefined`: malformed. */
function expectedB3(raw: string): Expected | null | undefined {
  const value = firstOf(raw);
  if (value.length === 1) return ['0', '1', 'd'].includes(value) ? null : undefined;
  const [traceId, spanId, ...more] = value.split('-');
  if (spanId === undefined || more.length > 2) return undefined;
  if (!isHex(traceId, [16, 32]) || !isHex(spanId, [16]) || isZero(traceId) || isZero(spanId))
    return undefined;
  let state: string | undefined;
  let parent: string | undefined;
  if (more.length === 2) [state, parent] = more;
  else if (more.length === 1) {
    if (more[0].length === 1) state = more[0];
    else parent = more[0];
  }
  if (state !== undefined && !['0', '1', 'd'].includes(state)) return undefined;
  if (parent !== undefined && (!isHex(parent, [16]) || isZero(parent))) return undefined;
  return {
    traceId: traceId.toLowerCase().padStart(32, '0'),
    spanId: spanId.toLowerCase(),
    sampled: state === '1' || state === 'd',
  };
}

// Headers as they may leave: checked by the specs' grammars, and by Node's own header validation.
const OUTGOING: Record<string, (value: string) => boolean> = {
  traceparent: (v) =>
    /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/.test(v) && !isZero(v.slice(3, 35)) && !isZero(v.slice(36, 52)),
  tracestate: (v) => {
    const members = v.split(',');
    return (
      members.length <= 32 &&
      members.every((m) =>
        /^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/.test(
          m,
        ),
      )
    );
  },
  'uber-trace-id': (v) => /^([0-9a-f]{16}|[0-9a-f]{32}):[0-9a-f]{16}:0:[013]$/.test(v),
  b3: (v) => /^[0-9a-f]{32}-[0-9a-f]{16}(-[01d])?$/.test(v) || /^[01d]$/.test(v),
  'x-b3-traceid': (v) => /^[0-9a-f]{32}$/.test(v),
  'x-b3-spanid': (v) => /^[0-9a-f]{16}$/.test(v),
  'x-b3-sampled': (v) => v === '0' || v === '1',
  'x-b3-flags': (v) => v === '1',
};

/** Injects `context` in every format; fails on a header that is not well formed. */
function assertWellFormedOutput(context: Context): void {
  for (const format of FORMATS) {
    const carrier: Record<string, string> = {};
    propagators[format].inject(context, carrier, headerSetter);
    for (const [name, value] of Object.entries(carrier)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      const check = OUTGOING[name];
      if (check !== undefined && !check(value))
        throw new Error(`${format} wrote ${name}: ${JSON.stringify(value)}`);
    }
    if ('x-b3-flags' in carrier && 'x-b3-sampled' in carrier) throw new Error('X-B3-Flags with X-B3-Sampled');
  }
}

/** The tracestate kept with a traceparent: the members, or `undefined` for a malformed or empty header. */
function expectedTracestate(raw: string): string | undefined {
  const members = raw
    .split(',')
    .map(trimOws)
    .filter((member) => member !== '');
  if (members.length === 0 || members.length > 32) return undefined;
  const keys = new Set<string>();
  const kept: string[] = [];
  for (const member of members) {
    const equals = member.indexOf('=');
    if (equals === -1) return undefined;
    const [key, value] = [member.slice(0, equals), member.slice(equals + 1)];
    if (!/^[a-z0-9][a-z0-9_\-*/@]{0,255}$/.test(key)) return undefined;
    if (!/^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/.test(value)) return undefined;
    if (!keys.has(key)) kept.push(member);
    keys.add(key);
  }
  return kept.join(',');
}

function assertRead(
  format: PropagationFormat,
  carrier: Record<string, unknown>,
  expected: Expected | null | undefined,
  expectedTraceState?: string,
): void {
  const context = propagators[format].extract(BASE, carrier, headerGetter);
  const spanContext = trace.getSpanContext(context);
  if (expected === undefined) {
    if (context !== BASE) throw new Error(`${format} accepted malformed ${JSON.stringify(carrier)}`);
    return;
  }
  if (expected === null) {
    if (spanContext !== undefined) throw new Error(`${format} read ids from a state alone`);
  } else {
    expect(spanContext).toMatchObject({
      traceId: expected.traceId,
      spanId: expected.spanId,
      traceFlags: expected.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    });
    expect(spanContext?.traceState?.serialize()).toBe(expectedTraceState);
  }
  assertWellFormedOutput(context);
}

// Inputs: well-formed values, the same values mutated (a character inserted, deleted or replaced, a prefix, a
// suffix, a case change), and arbitrary strings.
const hexChar = (upper: boolean) =>
  fc.constantFrom(...(upper ? '0123456789abcdefABCDEF' : '0123456789abcdef'));
const hex = (length: number, upper = false) =>
  fc.string({ unit: hexChar(upper), minLength: length, maxLength: length });
const hexUpTo = (max: number) => fc.string({ unit: hexChar(true), minLength: 1, maxLength: max });
const noise = fc.constantFrom(
  '-',
  ':',
  ',',
  ' ',
  '\t',
  '\r',
  '\n',
  '%3A',
  '%3a',
  'g',
  'G',
  '0',
  'f',
  'F',
  'd',
  '=',
  '\u00e9',
  '\ud800',
  'garbage',
);

function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    fc.tuple(fc.constant('insert' as const), fc.nat(), noise),
    fc.tuple(fc.constant('delete' as const), fc.nat(), fc.constant('')),
    fc.tuple(fc.constant('replace' as const), fc.nat(), noise),
    fc.tuple(fc.constant('prefix' as const), fc.nat(), noise),
    fc.tuple(fc.constant('suffix' as const), fc.nat(), noise),
    fc.tuple(fc.constant('upper' as const), fc.nat(), fc.constant('')),
  );
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, mutations]) => {
    let text = value;
    for (const [kind, at, piece] of mutations) {
      const i = text.length === 0 ? 0 : at % text.length;
      if (kind === 'insert') text = text.slice(0, i) + piece + text.slice(i);
      else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
      else if (kind === 'replace') text = text.slice(0, i) + piece + text.slice(i + 1);
      else if (kind === 'prefix') text = piece + text;
      else if (kind === 'suffix') text = text + piece;
      else text = text.toUpperCase();
    }
    return text;
  });
}

const mix = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 5, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: fc.string() },
  );

const validTraceparent = fc
  .tuple(
    fc.constantFrom('00', '00', '01', 'cc', 'fe', 'ff'),
    hex(32),
    hex(16),
    hex(2),
    fc.option(fc.constantFrom('-', '-x', '-what-the-future')),
  )
  .map(([v, t, s, f, rest]) => `${v}-${t}-${s}-${f}${rest ?? ''}`);
const validTracestate = fc
  .array(
    fc.tuple(
      fc.constantFrom('foo', 'bar', 'rojo', 'congo', 'a@b', 'k*/_-9'),
      fc.constantFrom('1', 'x y', ' t61rcWkgMzE', '!~'),
    ),
    { maxLength: 5 },
  )
  .map((members) => members.map(([k, v]) => `${k}=${v}`).join(','));
const validUberTraceId = fc
  .tuple(hexUpTo(32), hexUpTo(16), hexUpTo(16), hexUpTo(2), fc.constantFrom(':', '%3A', '%3a'))
  .map(([t, s, p, f, sep]) => [t, s, p, f].join(sep));
const validB3 = fc.oneof(
  fc.constantFrom('0', '1', 'd'),
  fc
    .tuple(
      fc.oneof(hex(16, true), hex(32, true)),
      hex(16, true),
      fc.option(fc.constantFrom('0', '1', 'd')),
      fc.option(hex(16)),
    )
    .map(([t, s, state, parent]) =>
      [t, s, ...(state === null ? [] : [state]), ...(parent === null ? [] : [parent])].join('-'),
    ),
);

describe('propagation extractors (properties)', () => {
  it(`w3c: ${RUNS} traceparent values (with tracestate) are read exactly as the spec says`, () => {
    fc.assert(
      fc.property(mix(validTraceparent), mix(validTracestate), (traceparent, tracestate) => {
        assertRead(
          'w3c',
          { traceparent, tracestate },
          expectedTraceparent(traceparent),
          expectedTracestate(tracestate),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it(`jaeger: ${RUNS} uber-trace-id values are read exactly as the format says`, () => {
    fc.assert(
      fc.property(mix(validUberTraceId), (value) =>
        assertRead('jaeger', { 'uber-trace-id': value }, expectedUberTraceId(value)),
      ),
      { numRuns: RUNS },
    );
  });

  it(`b3single: ${RUNS} b3 values are read exactly as the spec says (issue 10's examples included)`, () => {
    fc.assert(
      fc.property(mix(validB3), (value) => assertRead('b3single', { b3: value }, expectedB3(value))),
      {
        numRuns: RUNS,
        examples: [
          ['af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1'], // a 31-digit trace id
          ['garbage0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1'],
          ['0af7651916cd43dd8448e\rb211c80319c-b7ad6b7169203331-1'],
        ],
      },
    );
  });

  it(`b3: ${RUNS} sets of X-B3-* headers are read exactly as the spec says`, () => {
    const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { freq: 4 });
    fc.assert(
      fc.property(
        field(mix(fc.oneof(hex(16, true), hex(32, true)))),
        field(mix(hex(16, true))),
        field(mix(hex(16))),
        field(mix(fc.constantFrom('0', '1', 'true', 'false'))),
        field(mix(fc.constantFrom('0', '1'))),
        (traceId, spanId, parentSpanId, sampled, flags) => {
          const carrier: Record<string, string> = {};
          if (traceId !== null) carrier['X-B3-TraceId'] = traceId;
          if (spanId !== null) carrier['X-B3-SpanId'] = spanId;
          if (parentSpanId !== null) carrier['X-B3-ParentSpanId'] = parentSpanId;
          if (sampled !== null) carrier['X-B3-Sampled'] = sampled;
          if (flags !== null) carrier['X-B3-Flags'] = flags;
          assertRead('b3', carrier, expectedB3Multi(traceId, spanId, parentSpanId, sampled, flags));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each(FORMATS)('%s: never throws and never yields a context for arbitrary carriers', (format) => {
    const name = fc.constantFrom(
      'traceparent',
      'tracestate',
      'uber-trace-id',
      'uberctx-k',
      'b3',
      'X-B3-TraceId',
      'X-B3-SpanId',
      'X-B3-Sampled',
      'X-B3-Flags',
      'baggage',
    );
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.oneof(fc.string(), fc.array(fc.string()), fc.anything())),
        (carrier) => {
          const context = propagators[format].extract(BASE, carrier, headerGetter);
          const spanContext = trace.getSpanContext(context);
          if (spanContext !== undefined) {
            expect(spanContext.traceId).toMatch(/^[0-9a-f]{32}$/);
            expect(spanContext.spanId).toMatch(/^[0-9a-f]{16}$/);
          }
          assertWellFormedOutput(context);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

function expectedB3Multi(
  rawTraceId: string | null,
  rawSpanId: string | null,
  rawParent: string | null,
  rawSampled: string | null,
  rawFlags: string | null,
): Expected | null | undefined {
  const [traceId, spanId, parent, sampled, flags] = [
    rawTraceId,
    rawSpanId,
    rawParent,
    rawSampled,
    rawFlags,
  ].map((v) => (v === null ? undefined : firstOf(v)));
  if (flags !== undefined && flags !== '0' && flags !== '1') return undefined;
  if (sampled !== undefined && !['0', '1', 'true', 'false'].includes(sampled.toLowerCase())) return undefined;
  if (traceId === undefined && spanId === undefined && parent === undefined) {
    return flags === '1' || sampled !== undefined ? null : undefined;
  }
  if (traceId === undefined || spanId === undefined) return undefined;
  if (!isHex(traceId, [16, 32]) || !isHex(spanId, [16]) || isZero(traceId) || isZero(spanId))
    return undefined;
  if (parent !== undefined && (!isHex(parent, [16]) || isZero(parent))) return undefined;
  return {
    traceId: traceId.toLowerCase().padStart(32, '0'),
    spanId: spanId.toLowerCase(),
    sampled: flags === '1' || sampled === '1' || sampled?.toLowerCase() === 'true',
  };
}
