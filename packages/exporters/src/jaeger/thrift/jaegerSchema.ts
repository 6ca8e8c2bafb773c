import { ThriftType } from './ThriftWriter';

/**
 * Jaeger's Thrift schema (jaeger.thrift / agent.thrift): field ids and types of each struct, as the wire
 * carries them. Both the encoder and our decoder are driven by these tables.
 */
export const BatchFields = {
  process: { id: 1, type: ThriftType.STRUCT },
  spans: { id: 2, type: ThriftType.LIST },
  seqNo: { id: 3, type: ThriftType.I64 },
} as const;

export const ProcessFields = {
  serviceName: { id: 1, type: ThriftType.STRING },
  tags: { id: 2, type: ThriftType.LIST },
} as const;

export const SpanFields = {
  traceIdLow: { id: 1, type: ThriftType.I64 },
  traceIdHigh: { id: 2, type: ThriftType.I64 },
  spanId: { id: 3, type: ThriftType.I64 },
  parentSpanId: { id: 4, type: ThriftType.I64 },
  operationName: { id: 5, type: ThriftType.STRING },
  references: { id: 6, type: ThriftType.LIST },
  flags: { id: 7, type: ThriftType.I32 },
  startTime: { id: 8, type: ThriftType.I64 },
  duration: { id: 9, type: ThriftType.I64 },
  tags: { id: 10, type: ThriftType.LIST },
  logs: { id: 11, type: ThriftType.LIST },
} as const;

export const TagFields = {
  key: { id: 1, type: ThriftType.STRING },
  vType: { id: 2, type: ThriftType.I32 },
  vStr: { id: 3, type: ThriftType.STRING },
  vDouble: { id: 4, type: ThriftType.DOUBLE },
  vBool: { id: 5, type: ThriftType.BOOL },
  vLong: { id: 6, type: ThriftType.I64 },
  vBinary: { id: 7, type: ThriftType.STRING },
} as const;

export const LogFields = {
  timestamp: { id: 1, type: ThriftType.I64 },
  fields: { id: 2, type: ThriftType.LIST },
} as const;

export const SpanRefFields = {
  refType: { id: 1, type: ThriftType.I32 },
  traceIdLow: { id: 2, type: ThriftType.I64 },
  traceIdHigh: { id: 3, type: ThriftType.I64 },
  spanId: { id: 4, type: ThriftType.I64 },
} as const;

/** `TagType` enum. */
export const TagType = { STRING: 0, DOUBLE: 1, BOOL: 2, LONG: 3, BINARY: 4 } as const;

/** `SpanRefType` enum. */
export const SpanRefType = { CHILD_OF: 0, FOLLOWS_FROM: 1 } as const;

/** `Agent.emitBatch(1: Batch batch)`: a oneway call. */
export const AgentEmitBatch = { name: 'emitBatch', batch: { id: 1, type: ThriftType.STRUCT } } as const;
