/** A byte buffer that grows geometrically, the storage of the protocol writers. */
export class GrowableBuffer {
  protected buf: Buffer;
  protected pos = 0;

  constructor(initialSize = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialSize));
  }

  get length(): number {
    return this.pos;
  }

  /** Makes room for `bytes` more bytes at `pos`. */
  protected ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  reset(): void {
    this.pos = 0;
  }

  rewind(length: number): void {
    if (length >= 0 && length < this.pos) this.pos = length;
  }

  /** Drops a buffer grown past `maxRetained` bytes, so one huge export does not pin memory for ever. */
  shrink(maxRetained: number): void {
    if (this.buf.length > maxRetained) this.buf = Buffer.allocUnsafe(Math.max(64, maxRetained >>> 2));
    this.pos = 0;
  }

  view(start: number, end: number): Buffer {
    return this.buf.subarray(start, end);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  /**
   * Writes `value` as UTF-8 at `at` (room for `value.length * 3` bytes must be ensured) and returns the byte
   * count. Short ASCII strings, the common case for tag keys and values, skip the native call.
   */
  protected writeUtf8(value: string, at: number): number {
    const n = value.length;
    if (n < 48) {
      const buf = this.buf;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === n) return n;
    }
    return this.buf.write(value, at, 'utf8');
  }
}
