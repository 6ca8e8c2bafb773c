import fc from 'fast-check';
import { hexWord, writeHexBytes } from '../../../src/jaeger/thrift/hexWord';

const parsed = (hex: string, offset: number) => parseInt(hex.substring(offset, offset + 8), 16) >>> 0;

describe('hexWord', () => {
  describe('when the digits are a well-formed id', () => {
    it('reads 8 hex digits (either case) from the offset as an unsigned 32-bit number', () => {
      expect(hexWord('00000000ffffffff', 8)).toBe(0xffffffff);
      expect(hexWord('4bf92f3577b34da6a3ce929d0e0e4736', 24)).toBe(0x0e0e4736);
      expect(hexWord('DEADBEEF', 0)).toBe(0xdeadbeef);
    });

    it('gives what parseInt gives, for every id (property)', () => {
      const id = fc.string({
        unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
        minLength: 16,
        maxLength: 32,
      });
      fc.assert(
        fc.property(id, fc.nat(8), (hex, offset) => {
          expect(hexWord(hex, offset)).toBe(parsed(hex, offset));
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('when the text is malformed', () => {
    it('gives what parseInt gives: its leading digits, or 0 (property)', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 20 }), fc.nat(12), (text, offset) => {
          expect(hexWord(text, offset)).toBe(parsed(text, offset));
        }),
        { numRuns: 2000 },
      );
      expect(hexWord('12zz5678', 0)).toBe(0x12);
      expect(hexWord('short', 0)).toBe(0);
    });
  });
});

describe('writeHexBytes', () => {
  it('writes the 16 digits from the offset as the 8 bytes hexWord reads as two halves (property)', () => {
    const id = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
      minLength: 16,
      maxLength: 32,
    });
    fc.assert(
      fc.property(id, fc.nat(16), (hex, offset) => {
        const bytes = Buffer.alloc(8);
        const written = writeHexBytes(hex, offset, bytes, 0);
        expect(written).toBe(hex.length >= offset + 16);
        if (written) {
          expect([bytes.readUInt32BE(0), bytes.readUInt32BE(4)]).toEqual([
            hexWord(hex, offset),
            hexWord(hex, offset + 8),
          ]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses anything but 16 hex digits', () => {
    const bytes = Buffer.alloc(8);
    expect(writeHexBytes('0123456789abcdeg', 0, bytes, 0)).toBe(false);
    expect(writeHexBytes('0123456789abcde', 0, bytes, 0)).toBe(false);
    expect(writeHexBytes('-123456789abcdef', 0, bytes, 0)).toBe(false);
  });
});
