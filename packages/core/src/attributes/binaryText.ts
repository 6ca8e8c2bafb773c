import { types } from 'node:util';
import { truncateText } from './truncateText';

/** Marks bytes left out of a description. */
const ELLIPSIS = '...';

/**
 * Bytes a description shows at most, whatever the length limit: enough for a hash, an id or a header's magic
 * number, short enough to read in a trace UI and to write in about the time of the span itself (Node's own
 * `util.inspect` shows 50).
 */
export const BINARY_BYTES_SHOWN = 128;

/** The bytes a binary value covers: a view's own range, not the whole buffer behind it. */
interface ByteRange {
  /** `Buffer`, the typed array's own class (`Float64Array`), `DataView`, `ArrayBuffer`, `SharedArrayBuffer`. */
  readonly kind: string;
  readonly buffer: ArrayBufferLike;
  readonly offset: number;
  readonly length: number;
}

// The built-in accessors, called directly: a value cannot lie about its class or its length by overriding
// them, and they read the engine's fields without touching the bytes.
const getterOf = (prototype: object, key: PropertyKey): ((this: unknown) => unknown) => {
  const getter = Object.getOwnPropertyDescriptor(prototype, key)?.get;
  if (getter === undefined) throw new Error(`no built-in getter ${String(key)}`);
  return getter;
};
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getterOf(typedArrayPrototype, Symbol.toStringTag);
const typedArrayBuffer = getterOf(typedArrayPrototype, 'buffer');
const typedArrayByteOffset = getterOf(typedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getterOf(typedArrayPrototype, 'byteLength');
const dataViewBuffer = getterOf(DataView.prototype, 'buffer');
const dataViewByteOffset = getterOf(DataView.prototype, 'byteOffset');
const dataViewByteLength = getterOf(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const sharedArrayBufferByteLength =
  typeof SharedArrayBuffer === 'function' ? getterOf(SharedArrayBuffer.prototype, 'byteLength') : undefined;

function byteRangeOf(value: object): ByteRange | undefined {
  if (ArrayBuffer.isView(value)) {
    const tag = typedArrayTag.call(value);
    if (typeof tag === 'string') {
      return {
        kind: Buffer.isBuffer(value) ? 'Buffer' : tag,
        buffer: typedArrayBuffer.call(value) as ArrayBufferLike,
        offset: typedArrayByteOffset.call(value) as number,
        length: typedArrayByteLength.call(value) as number,
      };
    }
    return {
      kind: 'DataView',
      buffer: dataViewBuffer.call(value) as ArrayBufferLike,
      offset: dataViewByteOffset.call(value) as number,
      length: dataViewByteLength.call(value) as number,
    };
  }
  if (types.isArrayBuffer(value)) {
    return {
      kind: 'ArrayBuffer',
      buffer: value,
      offset: 0,
      length: arrayBufferByteLength.call(value) as number,
    };
  }
  if (sharedArrayBufferByteLength !== undefined && types.isSharedArrayBuffer(value)) {
    return {
      kind: 'SharedArrayBuffer',
      buffer: value,
      offset: 0,
      length: sharedArrayBufferByteLength.call(value) as number,
    };
  }
  return undefined;
}

/**
 * A Buffer, typed array, DataView, ArrayBuffer or SharedArrayBuffer as text of at most `limit` characters:
 * its class, its byte length and, in hex, its first bytes, up to `BINARY_BYTES_SHOWN` and as many as fit
 * (`<Buffer 5 bytes: 68656c6c6f>`, `<Uint8Array 104857600 bytes: 0a1b...>`). Reads only the bytes it writes.
 * `undefined` for any other value.
 */
export function binaryText(value: object, limit: number): string | undefined {
  const range = byteRangeOf(value);
  if (range === undefined) return undefined;
  const head = `<${range.kind} ${range.length} ${range.length === 1 ? 'byte' : 'bytes'}`;
  if (range.length === 0) return truncateText(`${head}>`, limit);
  const room = limit - head.length - ': '.length - '>'.length;
  if (range.length <= BINARY_BYTES_SHOWN && range.length * 2 <= room) {
    return `${head}: ${hexOf(range, range.length)}>`;
  }
  const shown = Math.max(0, Math.min(BINARY_BYTES_SHOWN, Math.floor((room - ELLIPSIS.length) / 2)));
  return truncateText(`${head}: ${hexOf(range, shown)}${ELLIPSIS}>`, limit);
}

/** The first `count` bytes of the range in hex, through a view of them (no copy of the buffer). */
function hexOf(range: ByteRange, count: number): string {
  if (count === 0) return '';
  return Buffer.from(range.buffer, range.offset, count).toString('hex');
}
