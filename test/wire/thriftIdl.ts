// Checks Thrift bytes against Jaeger's IDL as published (the spec folder's `agent.thrift`, which includes
// `jaeger.thrift`): thriftrw parses the IDL, and the `thrift` package's own protocol readers (binary for the
// HTTP body, compact for the UDP datagram) read the bytes field by field, each field checked against its
// declaration: a field id the struct declares, the declared wire type, every required field present, no field
// twice, list elements of the declared type, enum values the enum defines, strings in valid UTF-8. Nothing
// here shares code with our encoder.
import { TBinaryProtocol, TCompactProtocol, Thrift, type TProtocol } from 'thrift';
import { withTransport } from '../support/jaegerThriftReader';
import { specFile } from './specs';

const { Type, MessageType } = Thrift;

/** The parts of thriftrw's model of an IDL type that the check reads. */
interface IdlType {
  typeid: number;
  /** ThriftStruct */
  name?: string;
  fields?: IdlField[];
  fieldsById?: Record<number, IdlField>;
  /** ThriftList, ThriftSet: the element type. ThriftMap: the value type. */
  valueType?: IdlType;
  /** ThriftMap */
  keyType?: IdlType;
  /** ThriftEnum */
  valuesToNames?: Record<string, string>;
}

interface IdlField {
  id: number;
  name: string;
  required: boolean;
  valueType: IdlType;
}

interface IdlModel {
  /** By name: `jaeger` (the included file, holding its own `models`), `Agent::emitBatch_args`, ... */
  models: Record<string, IdlType & { models: Record<string, IdlType> }>;
}

/** A value read according to the IDL: structs as objects by field name, i64 as bigint. */
export type IdlValue =
  string | number | boolean | bigint | Buffer | IdlValue[] | { [field: string]: IdlValue };

// thriftrw ships no type declarations.
const { Thrift: ThriftRW } = require('thriftrw') as { Thrift: new (options: object) => IdlModel };

let idl: IdlModel | undefined;

/**
 * Jaeger's IDL as thriftrw reads it. Not `strict`: the included `zipkincore.thrift` has fields marked neither
 * required nor optional, which strict mode refuses (every field of `jaeger.thrift` is marked).
 */
export function jaegerIdl(): IdlModel {
  idl ??= new ThriftRW({
    entryPoint: specFile('jaeger-idl-thrift/agent.thrift'),
    allowFilesystemAccess: true,
    strict: false,
  });
  return idl;
}

function jaegerStruct(name: string): IdlType {
  return jaegerIdl().models.jaeger.models[name];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function typeName(typeid: number): string {
  return Object.entries(Type).find(([, id]) => id === typeid)?.[0] ?? String(typeid);
}

function readStruct(input: TProtocol, struct: IdlType, where: string): { [field: string]: IdlValue } {
  const out: { [field: string]: IdlValue } = {};
  const seen = new Set<number>();
  input.readStructBegin();
  for (;;) {
    const wire = input.readFieldBegin();
    if (wire.ftype === Type.STOP) break;
    const field = struct.fieldsById?.[wire.fid];
    if (field === undefined)
      throw new Error(`${where}: field id ${wire.fid} is not declared in ${struct.name}`);
    const at = `${where}.${field.name}`;
    if (seen.has(wire.fid)) throw new Error(`${at}: the field appears twice`);
    seen.add(wire.fid);
    if (wire.ftype !== field.valueType.typeid) {
      throw new Error(`${at}: sent as ${typeName(wire.ftype)}, declared ${typeName(field.valueType.typeid)}`);
    }
    out[field.name] = readValue(input, field.valueType, at);
    input.readFieldEnd();
  }
  input.readStructEnd();
  for (const field of struct.fields ?? []) {
    if (field.required && !seen.has(field.id)) {
      throw new Error(`${where}: required field ${field.id} (${field.name}) of ${struct.name} is missing`);
    }
  }
  return out;
}

function readValue(input: TProtocol, type: IdlType, where: string): IdlValue {
  switch (type.typeid) {
    case Type.STRUCT:
      return readStruct(input, type, where);
    case Type.LIST:
    case Type.SET: {
      const list = type.typeid === Type.LIST ? input.readListBegin() : input.readSetBegin();
      const element = type.valueType!;
      if (list.size > 0 && list.etype !== element.typeid) {
        throw new Error(
          `${where}: elements sent as ${typeName(list.etype)}, declared ${typeName(element.typeid)}`,
        );
      }
      const out: IdlValue[] = [];
      for (let i = 0; i < list.size; i++) out.push(readValue(input, element, `${where}[${i}]`));
      if (type.typeid === Type.LIST) input.readListEnd();
      else input.readSetEnd();
      return out;
    }
    case Type.I32: {
      const value = input.readI32();
      if (type.valuesToNames !== undefined && !(String(value) in type.valuesToNames)) {
        throw new Error(`${where}: ${value} is not a value of the enum ${type.name ?? ''}`.trim());
      }
      return type.valuesToNames?.[String(value)] ?? value;
    }
    case Type.I64: {
      const value = input.readI64();
      return value.buffer.readBigInt64BE(value.offset ?? 0);
    }
    case Type.STRING: {
      const bytes = input.readBinary();
      if (type.constructor.name === 'ThriftBinary') return bytes;
      try {
        return utf8.decode(bytes);
      } catch {
        throw new Error(`${where}: not valid UTF-8`);
      }
    }
    case Type.DOUBLE:
      return input.readDouble();
    case Type.BOOL:
      return input.readBool();
    case Type.I16:
      return input.readI16();
    case Type.BYTE:
      return input.readByte();
    default:
      throw new Error(`${where}: the check does not read ${typeName(type.typeid)}`);
  }
}

/** Reads an HTTP collector body (one `jaeger.Batch`, binary protocol, no envelope) as the IDL declares it. */
export function readIdlBatch(body: Buffer): { [field: string]: IdlValue } {
  return withTransport(body, (transport) =>
    readStruct(new TBinaryProtocol(transport), jaegerStruct('Batch'), 'Batch'),
  );
}

/** Reads a UDP agent datagram (a compact-protocol message calling a function of service `Agent`) as the IDL declares it. */
export function readIdlAgentMessage(datagram: Buffer): {
  name: string;
  type: number;
  args: { [field: string]: IdlValue };
} {
  return withTransport(datagram, (transport) => {
    const input = new TCompactProtocol(transport);
    const message = input.readMessageBegin();
    const args: IdlType | undefined = jaegerIdl().models[`Agent::${message.fname}_args`];
    if (args === undefined) throw new Error(`message: Agent has no function ${message.fname}`);
    // every function of Agent is oneway
    if (message.mtype !== MessageType.ONEWAY) throw new Error(`message: type ${message.mtype}, not ONEWAY`);
    const read = readStruct(input, args, `${message.fname}`);
    input.readMessageEnd();
    return { name: message.fname, type: message.mtype, args: read };
  });
}

/** thriftrw's own decoding of a binary `jaeger.Batch` (a second reading, by thriftrw's reader); throws if invalid. */
export function thriftrwReadBatch(body: Buffer): unknown {
  const batch = jaegerStruct('Batch') as IdlType & {
    fromBufferResult(buffer: Buffer): { err: Error | null; value: unknown };
  };
  const result = batch.fromBufferResult(body);
  if (result.err) throw result.err;
  return result.value;
}
