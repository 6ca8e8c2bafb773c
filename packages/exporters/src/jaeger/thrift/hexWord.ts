/** The value of each hexadecimal digit by character code (both cases); -1 for every other character. */
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  DIGIT_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;
  DIGIT_VALUES['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** The value of the hexadecimal digit at `index` of `text`, or -1. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DIGIT_VALUES[code] : -1;
}

/**
 * The 8 hexadecimal digits of `hex` from `offset` as an unsigned 32-bit number: half of a span or trace id. The
 * same as `parseInt(hex.substring(offset, offset + 8), 16) >>> 0` (a malformed id gives what that gives), without
 * the substring and the generic parse for the well-formed ids every span has.
 */
export function hexWord(hex: string, offset: number): number {
  if (hex.length >= offset + 8) {
    let value = 0;
    for (let i = offset; i < offset + 8; i++) {
      const digit = digitAt(hex, i);
      if (digit < 0) return parseInt(hex.substring(offset, offset + 8), 16) >>> 0;
      value = value * 16 + digit;
    }
    return value;
  }
  return parseInt(hex.substring(offset, offset + 8), 16) >>> 0;
}

/**
 * Writes the 16 hexadecimal digits of `hex` from `offset` as 8 big-endian bytes into `bytes` at `at`: the i64 of
 * a span or trace id, as `hexWord` reads its halves. `false` when they are not 16 well-formed digits (then some of
 * the bytes may be written: the caller writes all 8 another way).
 */
export function writeHexBytes(hex: string, offset: number, bytes: Uint8Array, at: number): boolean {
  if (hex.length < offset + 16) return false;
  for (let i = 0; i < 16; i += 2) {
    const high = digitAt(hex, offset + i);
    const low = digitAt(hex, offset + i + 1);
    if ((high | low) < 0) return false;
    bytes[at + (i >> 1)] = (high << 4) | low;
  }
  return true;
}
