import fc from 'fast-check';
import type { AttributeValue } from '@opentelemetry/api';
import { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } from '@tracery/core';
import {
  ARRAY_ATTRIBUTE_ELEMENT_LIMIT,
  attributeValueLengthLimit,
  MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  normalizeAttributeValue,
} from '../../src/attributes/normalizeAttributeValue';
import { BINARY_BYTES_SHOWN } from '../../src/attributes/binaryText';
import { JSON_DEPTH_LIMIT } from '../../src/attributes/boundedJson';
import { captureDiag } from '../support/inMemoryPipeline';

/** Every kind of typed array. */
const typedArrays = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

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
    it('truncates strings', () => {
      expect(normalize('abcdef', 3)).toBe('abc');
    });

    it('never cuts a surrogate pair in half', () => {
      expect(normalize('abcd\u{1F600}', 5)).toBe('abcd');
      expect(normalize('abc\u{1F600}', 5)).toBe('abc\u{1F600}');
    });

    it('lets the strings of an array share one budget of the limit', () => {
      expect(normalize(['abcdef', 'xy'], 3)).toEqual(['abc']);
      expect(normalize(['ab', 'cdef', 'gh'], 5)).toEqual(['ab', 'cde']);
    });
  });

  describe('when the value is binary', () => {
    const MiB = 1024 * 1024;
    /** The first `count` byte values 0, 1, 2, ... in a buffer of `size` bytes. */
    const counting = (size: number, count = Math.min(size, 256)): ArrayBuffer => {
      const buffer = new ArrayBuffer(size);
      new Uint8Array(buffer, 0, count).set(Array.from({ length: count }, (_, i) => i));
      return buffer;
    };

    it(`writes a 100 MB Buffer as its byte length and its first ${BINARY_BYTES_SHOWN} bytes in hex`, () => {
      const buffer = Buffer.alloc(100 * MiB);
      buffer.set([0x0a, 0x1b, 0x2c]);
      expect(normalizeAttributeValue(buffer, 4096)).toBe(
        `<Buffer 104857600 bytes: 0a1b2c${'00'.repeat(BINARY_BYTES_SHOWN - 3)}...>`,
      );
    });

    it('shows fewer bytes when the limit leaves no room for all of them', () => {
      expect(normalize(Buffer.alloc(100, 0xcd), 40)).toBe('<Buffer 100 bytes: cdcdcdcdcdcdcdcd...>');
    });

    it(`writes a value of ${BINARY_BYTES_SHOWN} bytes whole, and cuts one of ${BINARY_BYTES_SHOWN + 1}`, () => {
      const hex = 'ef'.repeat(BINARY_BYTES_SHOWN);
      expect(normalize(Buffer.alloc(BINARY_BYTES_SHOWN, 0xef), 4096)).toBe(`<Buffer 128 bytes: ${hex}>`);
      expect(normalize(Buffer.alloc(BINARY_BYTES_SHOWN + 1, 0xef), 4096)).toBe(
        `<Buffer 129 bytes: ${hex}...>`,
      );
    });

    it('writes a 100 MB Uint8Array the same way, under its own class name', () => {
      const bytes = new Uint8Array(100 * MiB);
      bytes.set([0xff, 0x01]);
      const written = normalizeAttributeValue(bytes, 4096) as string;
      expect(written).toBe(`<Uint8Array 104857600 bytes: ff01${'00'.repeat(BINARY_BYTES_SHOWN - 2)}...>`);
    });

    it('writes every byte when they all fit', () => {
      expect(normalize(Buffer.from('hello'))).toBe('<Buffer 5 bytes: 68656c6c6f>');
      expect(normalize(new Uint8Array([0xff]))).toBe('<Uint8Array 1 byte: ff>');
      expect(normalize(Buffer.alloc(0))).toBe('<Buffer 0 bytes>');
    });

    it.each(typedArrays.map((TypedArray) => [TypedArray.name, TypedArray] as const))(
      'writes a %s by the bytes of its own range of the buffer',
      (_name, TypedArray) => {
        const view = new TypedArray(counting(32), 8, 8 / TypedArray.BYTES_PER_ELEMENT);
        expect(normalize(view)).toBe(`<${TypedArray.name} 8 bytes: 08090a0b0c0d0e0f>`);
      },
    );

    it.each(
      [Uint16Array, Float64Array, BigInt64Array].map((TypedArray) => [TypedArray.name, TypedArray] as const),
    )('cuts a %s of a million elements to the limit', (_name, TypedArray) => {
      const view = new TypedArray(counting(1_000_000 * TypedArray.BYTES_PER_ELEMENT));
      const written = normalizeAttributeValue(view, 100) as string;
      const byteLength = 1_000_000 * TypedArray.BYTES_PER_ELEMENT;
      expect(written).toMatch(
        new RegExp(`^<${TypedArray.name} ${byteLength} bytes: 000102[0-9a-f]+\\.\\.\\.>$`),
      );
      expect(written.length).toBeLessThanOrEqual(100);
    });

    it('writes a DataView by the bytes it covers', () => {
      expect(normalize(new DataView(counting(16), 4, 3))).toBe('<DataView 3 bytes: 040506>');
    });

    it('writes an ArrayBuffer and a SharedArrayBuffer by their bytes', () => {
      expect(normalize(counting(4))).toBe('<ArrayBuffer 4 bytes: 00010203>');
      const shared = new SharedArrayBuffer(3);
      new Uint8Array(shared).set([1, 2, 3]);
      expect(normalize(shared)).toBe('<SharedArrayBuffer 3 bytes: 010203>');
    });

    it('writes a 100 MB ArrayBuffer within the limit', () => {
      const written = normalizeAttributeValue(counting(100 * MiB), 64) as string;
      expect(written).toBe('<ArrayBuffer 104857600 bytes: 000102030405060708090a0b0c0d0e...>');
    });

    it('reads the real class and length even when the value overrides them', () => {
      const bytes = new Uint8Array([1, 2]);
      Object.defineProperty(bytes, 'byteLength', { value: 1e9 });
      Object.defineProperty(bytes, Symbol.toStringTag, { value: 'Harmless' });
      expect(normalize(bytes)).toBe('<Uint8Array 2 bytes: 0102>');
    });

    it('cuts the description itself when the limit is shorter than it', () => {
      expect(normalize(Buffer.alloc(10), 5)).toBe('<Buff');
    });

    it('writes binary values inside objects by the same description, never by toJSON', () => {
      expect(normalize({ file: Buffer.from('hello'), name: 'a' }, 200)).toBe(
        '{"file":"<Buffer 5 bytes: 68656c6c6f>","name":"a"}',
      );
      const written = normalizeAttributeValue({ file: Buffer.alloc(40 * MiB) }, 100) as string;
      expect(written).toMatch(/^\{"file":"<Buffer 41943040 bytes: (00)+/);
      expect(written.length).toBeLessThanOrEqual(100);
    });

    it('writes a binary value that toJSON returns by its description', () => {
      expect(normalize({ photo: { toJSON: () => new Uint8Array([7]) } })).toBe(
        '{"photo":"<Uint8Array 1 byte: 07>"}',
      );
    });
  });

  describe('when an array is long', () => {
    it(`keeps the first ${ARRAY_ATTRIBUTE_ELEMENT_LIMIT} elements of an array of a million numbers`, () => {
      const numbers = Array.from({ length: 1_000_000 }, (_, i) => i);
      expect(normalize(numbers)).toEqual(numbers.slice(0, ARRAY_ATTRIBUTE_ELEMENT_LIMIT));
    });

    it('keeps as many strings of a million as fit the limit in total', () => {
      const strings = new Array<string>(1_000_000).fill('-'.repeat(100));
      for (let i = 0; i < 50; i++) strings[i] = `${i}`.padStart(100, '-');
      const written = normalizeAttributeValue(strings, 4096) as string[];
      expect(written).toEqual([...strings.slice(0, 40), strings[40].slice(0, 96)]);
    });

    it(`decides the type from the first ${ARRAY_ATTRIBUTE_ELEMENT_LIMIT} elements only`, () => {
      const values: unknown[] = Array.from({ length: ARRAY_ATTRIBUTE_ELEMENT_LIMIT }, () => true);
      values.push('not kept');
      expect(normalize(values)).toEqual(values.slice(0, ARRAY_ATTRIBUTE_ELEMENT_LIMIT));
    });
  });

  describe('when an object is deep, huge or hostile', () => {
    const nested = (depth: number, leaf: unknown = 1): unknown => {
      let value = leaf;
      for (let i = 0; i < depth; i++) value = { child: value };
      return value;
    };

    it(`writes ${JSON_DEPTH_LIMIT} levels of objects as JSON does`, () => {
      const value = nested(JSON_DEPTH_LIMIT);
      expect(normalize(value, 1000)).toBe(JSON.stringify(value));
    });

    it(`writes objects deeper than ${JSON_DEPTH_LIMIT} levels as "[Object]"`, () => {
      expect(normalize(nested(100_000), 1000)).toBe(
        `${'{"child":'.repeat(JSON_DEPTH_LIMIT)}"[Object]"${'}'.repeat(JSON_DEPTH_LIMIT)}`,
      );
    });

    it(`writes arrays deeper than ${JSON_DEPTH_LIMIT} levels as "[Array]"`, () => {
      let value: unknown = [];
      for (let i = 0; i < 100_000; i++) value = [value, 0];
      const written = normalize(value, 1000) as string;
      expect(written.startsWith(`${'['.repeat(JSON_DEPTH_LIMIT)}"[Array]",0]`)).toBe(true);
    });

    it('bounds a proxy that makes up a new object at every read', () => {
      const endless = (): object =>
        new Proxy(
          {},
          {
            ownKeys: () => ['next'],
            getOwnPropertyDescriptor: () => ({ value: undefined, enumerable: true, configurable: true }),
            get: (_target, key) => (key === 'next' ? endless() : undefined),
          },
        );
      expect(normalize(endless(), 1000)).toBe(
        `${'{"next":'.repeat(JSON_DEPTH_LIMIT)}"[Object]"${'}'.repeat(JSON_DEPTH_LIMIT)}`,
      );
    });

    it('reads own properties only, as JSON does', () => {
      const value = Object.create({ inherited: 1 }) as Record<string, unknown>;
      value.own = 2;
      expect(normalize(value)).toBe('{"own":2}');
    });

    it('writes a bigint with more digits than the limit as a note, not as a cut number', () => {
      expect(normalize(2n ** 20_000n)).toBe('<BigInt of more than 100 digits>');
      expect(normalize({ big: -(10n ** 200n) })).toBe('{"big":"<BigInt of more than 100 digits>"}');
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

  it(`lowers a limit above ${MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT} to it and says so through diag`, () => {
    const diagnostics = captureDiag();
    try {
      expect(attributeValueLengthLimit({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1000000' })).toBe(65_536);
      expect(attributeValueLengthLimit({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '65536' })).toBe(65_536);
    } finally {
      diagnostics.restore();
    }
    expect(diagnostics.messages).toEqual([
      expect.stringContaining('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=1000000 is above 65536'),
    ]);
  });
});

describe('normalizeAttributeValue (properties)', () => {
  /** Characters of text an attribute value holds: a string's length, the total of an array's strings. */
  const textLength = (value: AttributeValue): number => {
    if (typeof value === 'string') return value.length;
    if (!Array.isArray(value)) return 0;
    let total = 0;
    for (const element of value) if (typeof element === 'string') total += element.length;
    return total;
  };

  const binaryKinds = [
    'Buffer',
    'DataView',
    'ArrayBuffer',
    'SharedArrayBuffer',
    ...typedArrays.map((TypedArray) => TypedArray.name),
  ];

  /** A binary value of `kind` holding `bytes` (cut to whole elements); a view starts `pad` elements into its buffer. */
  const binaryOf = (kind: string, bytes: Uint8Array, pad: number): { value: object; bytes: Uint8Array } => {
    const TypedArray = (globalThis as unknown as Record<string, typeof Uint8Array>)[kind];
    const unit = kind.endsWith('Array') ? TypedArray.BYTES_PER_ELEMENT : 1;
    const kept = bytes.subarray(0, bytes.length - (bytes.length % unit));
    if (kind === 'ArrayBuffer' || kind === 'SharedArrayBuffer') {
      const whole =
        kind === 'ArrayBuffer' ? new ArrayBuffer(kept.length) : new SharedArrayBuffer(kept.length);
      new Uint8Array(whole).set(kept);
      return { value: whole, bytes: kept };
    }
    const offset = pad * unit;
    const backing = new ArrayBuffer(offset + kept.length + unit);
    new Uint8Array(backing).fill(0xee).set(kept, offset);
    if (kind === 'Buffer') return { value: Buffer.from(backing, offset, kept.length), bytes: kept };
    if (kind === 'DataView') return { value: new DataView(backing, offset, kept.length), bytes: kept };
    return { value: new TypedArray(backing, offset, kept.length / unit), bytes: kept };
  };
  const binary = fc
    .record({
      kind: fc.constantFrom(...binaryKinds),
      bytes: fc.uint8Array({ maxLength: 600 }),
      pad: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ kind, bytes, pad }) => ({ kind, ...binaryOf(kind, bytes, pad) }));

  const anyValue = fc.oneof(
    fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withNullPrototype: true,
      withObjectString: true,
      stringUnit: 'binary',
    }),
    binary.map(({ value }) => value),
    fc.array(fc.string({ unit: 'binary' }), { maxLength: 300 }),
    fc.array(fc.double(), { maxLength: 300 }),
    fc.array(
      binary.map(({ value }) => value),
      { maxLength: 5 },
    ),
  );

  it('gives undefined or a valid attribute value whose text stays within the limit, for any value', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 1, max: 200 }), (value, limit) => {
        const normalised = normalizeAttributeValue(value, limit);
        if (normalised === undefined) return true;
        if (textLength(normalised) > limit) return false;
        if (Array.isArray(normalised)) {
          const types = new Set(normalised.map((element) => typeof element));
          return types.size <= 1 && normalised.length <= ARRAY_ATTRIBUTE_ELEMENT_LIMIT;
        }
        return ['string', 'number', 'boolean'].includes(typeof normalised);
      }),
      { numRuns: 2000 },
    );
  });

  it('describes any binary value by its class, its byte length and a hex prefix of its own bytes', () => {
    fc.assert(
      fc.property(binary, fc.integer({ min: 64, max: 2000 }), ({ kind, value, bytes }, limit) => {
        const written = normalizeAttributeValue(value, limit) as string;
        const match = /^<(\w+) (\d+) bytes?(?:: ([0-9a-f]*)(\.\.\.)?)?>$/.exec(written);
        const hex = Buffer.from(bytes).toString('hex');
        expect(written.length).toBeLessThanOrEqual(limit);
        expect(match).not.toBeNull();
        const [, writtenKind, byteLength, writtenHex = '', ellipsis] = match!;
        expect([writtenKind, Number(byteLength)]).toEqual([kind, bytes.length]);
        expect(hex.startsWith(writtenHex) && writtenHex.length % 2 === 0).toBe(true);
        expect(writtenHex.length).toBeLessThanOrEqual(2 * BINARY_BYTES_SHOWN);
        expect(ellipsis === undefined).toBe(writtenHex === hex);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes plain data exactly as JSON.stringify does, cut to the limit', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 5 })),
        fc.integer({ min: 1, max: 2000 }),
        (value, limit) => {
          const json = JSON.stringify(value);
          const written = normalizeAttributeValue(value, limit) as string;
          // The cut never splits a surrogate pair, so it may keep one character less.
          expect([json.slice(0, limit), json.slice(0, limit - 1)]).toContain(written);
          if (json.length <= limit) expect(written).toBe(json);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps a prefix of the text of an array of strings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        (strings, limit) => {
          const written = normalizeAttributeValue(strings, limit) as string[];
          expect(written.length).toBeLessThanOrEqual(ARRAY_ATTRIBUTE_ELEMENT_LIMIT);
          written.forEach((element, i) => {
            const whole = i < written.length - 1;
            if (whole) expect(element).toBe(strings[i]);
            else expect(strings[i].startsWith(element)).toBe(true);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
