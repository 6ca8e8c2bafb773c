import { GrowableBuffer } from './GrowableBuffer';
import { hexWord, writeHexBytes } from './hexWord';
import { ThriftType, type ThriftTypeCode, type ThriftWriter } from './ThriftWriter';

const TWO_POW_32 = 4294967296;

/** Thrift BINARY protocol (big-endian, fixed-width integers), the body of a Jaeger collector request. */
export class BinaryProtocolWriter extends GrowableBuffer implements ThriftWriter {
  structBegin(): void {
    // The binary protocol has no struct header.
  }

  structEnd(): void {
    this.ensure(1);
    this.buf[this.pos++] = ThriftType.STOP;
  }

  fieldBegin(type: ThriftTypeCode, id: number): void {
    this.ensure(3);
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = type;
    buf[pos + 1] = (id >>> 8) & 0xff;
    buf[pos + 2] = id & 0xff;
    this.pos = pos + 3;
  }

  boolField(id: number, value: boolean): void {
    this.fieldBegin(ThriftType.BOOL, id);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  listBegin(elementType: ThriftTypeCode, size: number): void {
    this.ensure(5);
    this.buf[this.pos] = elementType;
    this.buf.writeInt32BE(size, this.pos + 1);
    this.pos += 5;
  }

  i32(value: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(value | 0, this.pos);
    this.pos += 4;
  }

  i64Hex(hex: string, offset: number): void {
    this.ensure(8);
    if (!writeHexBytes(hex, offset, this.buf, this.pos)) {
      this.buf.writeUInt32BE(hexWord(hex, offset), this.pos);
      this.buf.writeUInt32BE(hexWord(hex, offset + 8), this.pos + 4);
    }
    this.pos += 8;
  }

  i64Number(value: number): void {
    this.ensure(8);
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      const high = Math.floor(value / TWO_POW_32);
      this.buf.writeUInt32BE(high, this.pos);
      this.buf.writeUInt32BE(value - high * TWO_POW_32, this.pos + 4);
    } else {
      this.buf.writeBigInt64BE(BigInt.asIntN(64, BigInt(Math.trunc(value))), this.pos);
    }
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(value, this.pos);
    this.pos += 8;
  }

  string(value: string): void {
    this.ensure(4 + value.length * 3);
    const written = this.writeUtf8(value, this.pos + 4);
    this.buf.writeInt32BE(written, this.pos);
    this.pos += 4 + written;
  }

  binary(value: Uint8Array): void {
    this.ensure(4 + value.length);
    this.buf.writeInt32BE(value.length, this.pos);
    this.buf.set(value, this.pos + 4);
    this.pos += 4 + value.length;
  }
}
