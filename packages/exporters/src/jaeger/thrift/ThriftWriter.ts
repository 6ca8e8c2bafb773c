/** Thrift type codes (the binary protocol's; the compact protocol maps them to its own). */
export const ThriftType = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
} as const;

export type ThriftTypeCode = (typeof ThriftType)[keyof typeof ThriftType];

/**
 * What the Jaeger model encoder needs from a Thrift protocol writer. The binary and compact protocols both
 * implement it, so the same schema walk produces either encoding. Writers grow their own buffer.
 */
export interface ThriftWriter {
  /** Bytes written so far. */
  readonly length: number;
  structBegin(): void;
  /** Writes the STOP byte that ends a struct. */
  structEnd(): void;
  fieldBegin(type: ThriftTypeCode, id: number): void;
  /** A whole bool field (the compact protocol folds the value into the field header). */
  boolField(id: number, value: boolean): void;
  listBegin(elementType: ThriftTypeCode, size: number): void;
  i32(value: number): void;
  /** An i64 given as 16 hexadecimal characters of `hex` from `offset` (two's complement, top bit = sign). */
  i64Hex(hex: string, offset: number): void;
  /** An i64 given as a JavaScript number; must be an integer (safe integers are exact). */
  i64Number(value: number): void;
  double(value: number): void;
  string(value: string): void;
  binary(value: Uint8Array): void;
  /** Raw bytes, already encoded in this protocol. */
  raw(bytes: Uint8Array): void;
  /** Forgets what was written; keeps the buffer. */
  reset(): void;
  /** Forgets what was written after `length` (only between top-level structs). */
  rewind(length: number): void;
  /** A view of bytes [start, end) of the buffer; valid until the next write or reset. */
  view(start: number, end: number): Buffer;
  /** A copy of everything written. */
  toBuffer(): Buffer;
}
