import type { Resource } from '@opentelemetry/resources';

/**
 * Spans to Jaeger in its Thrift model: over HTTP to a collector's `/api/traces` (binary protocol), or, when
 * `agent` is set, over UDP to a Jaeger agent (compact protocol).
 *
 * @example
 * createExporter({ kind: 'jaeger', endpoint: 'http://jaeger:14268/api/traces' });
 */
export interface JaegerExporterConfig {
  kind: 'jaeger';
  /**
   * Collector URL, e.g. `http://jaeger:14268/api/traces` or Tracing Analysis'
   * `http://tracing-analysis-dc-<region>.aliyuncs.com/adapt_<token>/api/traces` (the token is a secret: never
   * logged). Default `http://localhost:14268/api/traces`. Env: `OTEL_EXPORTER_JAEGER_ENDPOINT`.
   */
  endpoint?: string;
  /** Basic-auth user name sent to the collector. Default none. Env: `OTEL_EXPORTER_JAEGER_USER`. */
  username?: string;
  /** Basic-auth password (a secret: never logged). Default none. Env: `OTEL_EXPORTER_JAEGER_PASSWORD`. */
  password?: string;
  /** Extra HTTP request headers; their values are treated as secrets (never logged). Default none. */
  headers?: Record<string, string>;
  /**
   * Time budget of one export in milliseconds (HTTP), connecting and reading the answers of all its requests
   * included; after it the export reports FAILED. Default 10000. Env: `OTEL_EXPORTER_JAEGER_TIMEOUT`.
   */
  timeoutMs?: number;
  /**
   * Largest request body in bytes; the spans of one export are split over several requests to stay under it,
   * and a single span larger than it is dropped (reported through `diag`). Default 1048576 (1 MiB).
   */
  maxPayloadBytes?: number;
  /**
   * Send to a Jaeger agent over UDP instead of a collector over HTTP (compact protocol, `emitBatch`).
   * Default: not set (HTTP). Env: `OTEL_EXPORTER_JAEGER_AGENT_HOST` / `OTEL_EXPORTER_JAEGER_AGENT_PORT`.
   */
  agent?: {
    /** Agent host name or IP address. Default `localhost`. Env: `OTEL_EXPORTER_JAEGER_AGENT_HOST`. */
    host?: string;
    /** Agent UDP port (compact protocol). Default 6831. Env: `OTEL_EXPORTER_JAEGER_AGENT_PORT`. */
    port?: number;
    /** Largest datagram in bytes; batches are split to fit, a larger single span is dropped. Default 65000. */
    maxPacketSize?: number;
  };
}

/** A Jaeger `Tag` as `decodeJaegerBatch` reads it. */
export interface JaegerTag {
  key: string;
  /** The wire's `vType`. */
  type: 'STRING' | 'DOUBLE' | 'BOOL' | 'LONG' | 'BINARY';
  /** LONG values are numbers when they are safe integers, bigints otherwise. */
  value: string | number | boolean | bigint | Uint8Array;
}

/** A Jaeger `Log` (an OpenTelemetry event). */
export interface JaegerLog {
  /** Microseconds since the epoch. */
  timestamp: number;
  fields: JaegerTag[];
}

/** A Jaeger `SpanRef` (an OpenTelemetry link is a FOLLOWS_FROM reference). */
export interface JaegerSpanRef {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
}

/** A Jaeger `Span` as `decodeJaegerBatch` reads it. */
export interface JaegerSpan {
  /** 32 lowercase hex characters (high half then low half). */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters; all zeros for a root span. */
  parentSpanId: string;
  operationName: string;
  references: JaegerSpanRef[];
  /** 1 sampled, 2 debug. */
  flags: number;
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
}

/** A Jaeger `Batch`: the spans of one process. */
export interface JaegerBatch {
  process: { serviceName: string; tags: JaegerTag[] };
  spans: JaegerSpan[];
  /** Present when the sender numbered its batches. */
  seqNo?: number | bigint;
}

/** Options of `encodeJaegerBatch`. */
export interface EncodeJaegerBatchOptions {
  /** The resource whose `service.name` and attributes become the Batch's Process. Default: the first span's. */
  resource?: Resource;
}
