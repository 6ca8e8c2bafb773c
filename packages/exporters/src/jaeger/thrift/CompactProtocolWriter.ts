import { GrowableBuffer } from './GrowableBuffer';
import { hexWord } from './hexWord';
import { ThriftType, type ThriftTypeCode, type ThriftWriter } from './ThriftWriter';

/** Compact protocol type codes, indexed by binary-protocol type code. */
const COMPACT_TYPE: Record<number, number> = {
  [ThriftType.STOP]: 0,
  [ThriftType.BOOL]: 1,
  [ThriftType.BYTE]: 3,
  [ThriftType.I16]: 4,
  [ThriftType.I32]: 5,
  [ThriftType.I64]: 6,
  [ThriftType.DOUBLE]: 7,
  [ThriftType.STRING]: 8,
  [ThriftType.LIST]: 9,
  [ThriftType.SET]: 10,
  [ThriftType.MAP]: 11,
  [ThriftType.STRUCT]: 12,
};
const COMPACT_BOOL_TRUE = 1;
const COMPACT_BOOL_FALSE = 2;
const PROTOCOL_ID = 0x82;
const VERSION = 1;

/** Message types of a Thrift message header. */
export const ThriftMessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const;

/**
 * Thrift COMPACT protocol (zigzag varints, field-id deltas, little-endian doubles), what a Jaeger agent reads on
 * UDP port 6831.
 */
export class CompactProtocolWriter extends GrowableBuffer implements ThriftWriter {
  private lastFieldId = 0;
  private readonly fieldIdStack: number[] = [];

  messageBegin(name: string, type: number, seqId: number): void {
    this.ensure(2);
    this.buf[this.pos++] = PROTOCOL_ID;
    this.buf[this.pos++] = (VERSION & 0x1f) | ((type << 5) & 0xe0);
    this.varint32(seqId >>> 0);
    this.string(name);
  }

  structBegin(): void {
    this.fieldIdStack.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  structEnd(): void {
    this.ensure(1);
    this.buf[this.pos++] = 0;
    this.lastFieldId = this.fieldIdStack.pop() ?? 0;
  }

  fieldBegin(type: ThriftTypeCode, id: number): void {
    this.fieldHeader(COMPACT_TYPE[type], id);
  }

  boolField(id: number, value: boolean): void {
    this.fieldHeader(value ? COMPACT_BOOL_TRUE : COMPACT_BOOL_FALSE, id);
  }

  private fieldHeader(compactType: number, id: number): void {
    const delta = id - this.lastFieldId;
    this.ensure(1);
    if (delta > 0 && delta <= 15) {
      this.buf[this.pos++] = (delta << 4) | compactType;
    } else {
      this.buf[this.pos++] = compactType;
      this.varint32(zigzag32(id));
    }
    this.lastFieldId = id;
  }

  listBegin(elementType: ThriftTypeCode, size: number): void {
    const type = COMPACT_TYPE[elementType];
    this.ensure(1);
    if (size < 15) {
      this.buf[this.pos++] = (size << 4) | type;
    } else {
      this.buf[this.pos++] = 0xf0 | type;
      this.varint32(size);
    }
  }

  i32(value: number): void {
    this.varint32(zigzag32(value | 0));
  }

  i64Hex(hex: string, offset: number): void {
    this.zigzag64(hexWord(hex, offset), hexWord(hex, offset + 8));
  }

  i64Number(value: number): void {
    if (Number.isSafeInteger(value)) {
      // Two's complement halves of a safe integer, without BigInt.
      const high = Math.floor(value / 4294967296);
      this.zigzag64(high >>> 0, (value - high * 4294967296) >>> 0);
    } else {
      const n = BigInt.asUintN(64, BigInt(Math.trunc(value)));
      this.zigzag64(Number(n >> 32n), Number(n & 0xffffffffn));
    }
  }

  /** Zigzag-encodes the 64-bit two's complement number (high, low) and writes it as a varint. */
  private zigzag64(high: number, low: number): void {
    const sign = high >> 31; // 0 or -1
    // (n << 1) ^ (n >> 63), on the two 32-bit halves.
    const zHigh = (((high << 1) | (low >>> 31)) ^ sign) >>> 0;
    const zLow = ((low << 1) ^ sign) >>> 0;
    this.varint64(zHigh, zLow);
  }

  private varint64(high: number, low: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (high !== 0 || low > 0x7f) {
      buf[pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high = high >>> 7;
    }
    buf[pos++] = low;
    this.pos = pos;
  }

  private varint32(value: number): void {
    this.ensure(5);
    let n = value >>> 0;
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(value: string): void {
    if (value.length < 48) {
      // Up to 3 bytes per UTF-16 unit: under 16383 bytes the varint length takes at most 2 bytes.
      this.ensure(2 + value.length * 3);
      const start = this.pos;
      const written = this.writeUtf8(value, start + 1);
      if (written < 0x80) {
        this.buf[start] = written;
        this.pos = start + 1 + written;
        return;
      }
    }
    const bytes = Buffer.from(value, 'utf8');
    this.varint32(bytes.length);
    this.raw(bytes);
  }

  binary(value: Uint8Array): void {
    this.varint32(value.length);
    this.raw(value);
  }

  override reset(): void {
    super.reset();
    this.lastFieldId = 0;
    this.fieldIdStack.length = 0;
  }

  override rewind(length: number): void {
    super.rewind(length);
    this.lastFieldId = 0;
    this.fieldIdStack.length = 0;
  }
}

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}
