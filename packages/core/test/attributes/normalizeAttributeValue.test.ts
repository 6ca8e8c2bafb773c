import fc from 'fast-check';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } from '@tracery/core';
import {
  attributeValueLengthLimit,
  normalizeAttributeValue,
} from '../../src/attributes/normalizeAttributeValue';

describe('normalizeAttributeValue', () => {
  const normalize = (value: unknown, limit = 100) => normalizeAttributeValue(value, limit);

  describe('when the value is a primitive', () => {
    it('keeps strings, numbers and booleans', () => {
      expect([normalize('s'), normalize(1.5), normalize(true)]).toEqual(['s', 1.5, true]);
    });

    it('writes bigint and symbol as strings', () => {
      expect(normalize(10n)).toBe('10');
      expect(normalize(Symbol('tag'))).toBe('Symbol(tag)');
    });

    it('omits undefined, null and functions', () => {
      expect([normalize(undefined), normalize(null), normalize(() => 1)]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    });
  });

  describe('when the value is an object', () => {
    it('writes a Date as its ISO string and an invalid one as Invalid Date', () => {
      expect(normalize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
      expect(normalize(new Date(NaN))).toBe('Invalid Date');
    });

    it('keeps arrays of one primitive type and writes others as JSON', () => {
      expect(normalize([true, false])).toEqual([true, false]);
      expect(normalize([])).toEqual([]);
      expect(normalize([{ a: 1 }])).toBe('[{"a":1}]');
      expect(normalize([1, null])).toBe('[1,null]');
    });

    it('writes JSON like JSON.stringify for plain data', () => {
      const value = { a: [1, 'two', null, undefined], b: { c: false }, d: undefined, e: () => 1, n: NaN };
      expect(normalize(value, 1000)).toBe(JSON.stringify(value));
    });

    it('unwraps boxed primitives inside objects, as JSON does', () => {
      const boxed = { s: new String('x'), n: new Number(2), b: new Boolean(false) };
      expect(normalize(boxed)).toBe(JSON.stringify(boxed));
    });

    it('honours toJSON and writes nested bigints as strings', () => {
      expect(normalize({ at: new Date(0), big: 5n })).toBe('{"at":"1970-01-01T00:00:00.000Z","big":"5"}');
    });

    it('marks cycles but not repeated siblings', () => {
      const shared = { x: 1 };
      const value: Record<string, unknown> = { a: shared, b: shared };
      value.me = value;
      expect(normalize(value)).toBe('{"a":{"x":1},"b":{"x":1},"me":"[Circular]"}');
    });

    it('stops early on a huge value and truncates to the limit', () => {
      const huge = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
      const written = normalize(huge, 50) as string;
      expect(written).toHaveLength(50);
      expect(written.startsWith('[{"i":0},{"i":1}')).toBe(true);
    });

    it('throws for a revoked proxy (the caller skips the tag)', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(() => normalize(proxy)).toThrow(TypeError);
    });
  });

  describe('when strings are long', () => {
    it('truncates strings and string array elements', () => {
      expect(normalize('abcdef', 3)).toBe('abc');
      expect(normalize(['abcdef', 'xy'], 3)).toEqual(['abc', 'xy']);
    });
  });
});

describe('attributeValueLengthLimit', () => {
  it('reads OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', () => {
    expect(attributeValueLengthLimit({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '64' })).toBe(64);
  });

  it.each(['', 'abc', '-1', '0', '1.5'])('falls back to the default for %j', (raw) => {
    expect(attributeValueLengthLimit({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: raw })).toBe(
      DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    );
  });

  it('defaults to 4096', () => {
    expect(attributeValueLengthLimit({})).toBe(4096);
  });
});

describe('normalizeAttributeValue (properties)', () => {
  it('gives undefined or a valid attribute value within the limit, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true }),
        fc.integer({ min: 1, max: 64 }),
        (value, limit) => {
          const normalised = normalizeAttributeValue(value, limit);
          if (normalised === undefined) return true;
          if (Array.isArray(normalised)) {
            const types = new Set(normalised.map((element) => typeof element));
            return (
              types.size <= 1 &&
              normalised.every((element) => typeof element !== 'string' || element.length <= limit)
            );
          }
          if (typeof normalised === 'string') return normalised.length <= limit;
          return typeof normalised === 'number' || typeof normalised === 'boolean';
        },
      ),
    );
  });
});
