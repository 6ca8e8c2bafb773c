import type { JaegerExporterConfig } from './jaeger/types';

export type { JaegerExporterConfig };

/** Wire encoding of an OTLP/HTTP export request. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Request body compression of an OTLP/HTTP export request. */
export type OtlpCompression = 'gzip' | 'none';

/**
 * Spans to an OpenTelemetry Collector (or Jaeger >= 1.35, or Tracing Analysis) over OTLP/HTTP, through
 * `@opentelemetry/exporter-trace-otlp-proto` (`http/protobuf`) or `@opentelemetry/exporter-trace-otlp-http`
 * (`http/json`).
 *
 * Like every OpenTelemetry OTLP exporter, the underlying exporter also reads the `OTEL_EXPORTER_OTLP_*`
 * variables for the settings left out here (headers from the environment are merged under these).
 */
export interface OtlpExporterConfig {
  /** Selects OTLP/HTTP. Env (through `exporterFromEnv`): `OTEL_TRACES_EXPORTER=otlp`. */
  kind: 'otlp';
  /**
   * Full URL of the traces endpoint, used as is (nothing is appended).
   * Default `http://localhost:4318/v1/traces`. Env (through `exporterFromEnv`): `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
   * or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`.
   */
  url?: string;
  /**
   * Extra HTTP request headers (e.g. `Authentication` for Tracing Analysis). Values are secrets: never logged.
   * Default none. Env: `OTEL_EXPORTER_OTLP_TRACES_HEADERS` over `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`).
   */
  headers?: Record<string, string>;
  /**
   * Body encoding. Default `'http/protobuf'`.
   * Env: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` over `OTEL_EXPORTER_OTLP_PROTOCOL` (`grpc` is not supported).
   */
  protocol?: OtlpProtocol;
  /**
   * Body compression. Default `'none'`.
   * Env: `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION` over `OTEL_EXPORTER_OTLP_COMPRESSION`.
   */
  compression?: OtlpCompression;
  /**
   * Time budget of one export, retries included, in milliseconds; after it the export reports FAILED.
   * Default 10000. Env: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` over `OTEL_EXPORTER_OTLP_TIMEOUT`.
   */
  timeoutMs?: number;
}

/** Spans to a Zipkin server (v2 JSON API) through `@opentelemetry/exporter-zipkin`. */
export interface ZipkinExporterConfig {
  /** Selects Zipkin v2 JSON. Env (through `exporterFromEnv`): `OTEL_TRACES_EXPORTER=zipkin`. */
  kind: 'zipkin';
  /**
   * Full URL of the v2 spans endpoint. Default `http://localhost:9411/api/v2/spans`.
   * Env (through `exporterFromEnv`): `OTEL_EXPORTER_ZIPKIN_ENDPOINT`.
   */
  url?: string;
  /** Extra HTTP request headers. Values are secrets: never logged. Default none. No env variable. */
  headers?: Record<string, string>;
  /**
   * Time budget of one export in milliseconds; after it the export reports FAILED (the request is abandoned).
   * Default 10000. Env (through `exporterFromEnv`): `OTEL_EXPORTER_ZIPKIN_TIMEOUT`.
   */
  timeoutMs?: number;
}

/**
 * A readable waterfall of each finished trace, written when the trace's local root span ends (or on
 * `forceFlush`/`shutdown` for traces whose root has not ended). Meant for development.
 */
export interface ConsoleExporterConfig {
  /** Selects the console waterfall. Env (through `exporterFromEnv`): `OTEL_TRACES_EXPORTER=console`. */
  kind: 'console';
  /** Where each rendered trace goes (a block of lines, ending with a newline). Default: `process.stdout.write`. */
  write?: (text: string) => void;
  /** Print each span's attributes (and events) under it. Default false. No env variable. */
  attributes?: boolean;
  /** Width of the duration bars, in characters. Default 40. */
  barWidth?: number;
  /** Most traces buffered while waiting for their root; the oldest is printed early beyond it. Default 100. */
  maxTraces?: number;
  /** Most spans buffered per trace; later spans of that trace are counted, not kept. Default 1000. */
  maxSpansPerTrace?: number;
}

/** Keeps finished spans in memory, for tests. `createExporter` returns a `MemorySpanExporter` for it. */
export interface MemoryExporterConfig {
  /** Selects in-memory spans (no env variable: for tests). */
  kind: 'memory';
  /** Most spans kept; later ones are counted in `droppedSpans`, not kept. Default 100000. */
  maxSpans?: number;
}

/** Drops every span (tracing on, export off). */
export interface NoneExporterConfig {
  /** Selects no export. Env (through `exporterFromEnv`): `OTEL_TRACES_EXPORTER=none`. */
  kind: 'none';
}

/** Where spans go: one of the exporter kinds, chosen by `kind`. */
export type ExporterConfig =
  | JaegerExporterConfig
  | OtlpExporterConfig
  | ZipkinExporterConfig
  | ConsoleExporterConfig
  | MemoryExporterConfig
  | NoneExporterConfig;

/** The `kind` values of `ExporterConfig`. */
export type ExporterKind = ExporterConfig['kind'];

/** Environment name (e.g. `development`, `production`) to the exporter(s) used there. */
/**
 * One profile of `selectExporter`: a config, a list of configs (fan-out), or a function returning either,
 * called only when its environment is the chosen one (so production secrets need not exist in development).
 */
export type ExporterProfile = ExporterConfig | ExporterConfig[] | (() => ExporterConfig | ExporterConfig[]);

export type ExporterProfiles = Record<string, ExporterProfile>;

/** Options of `tracingAnalysis`. */
export interface TracingAnalysisOptions {
  /** Alibaba Cloud region id, e.g. `cn-hangzhou`. */
  region: string;
  /** The Tracing Analysis token (`adapt_<token>` in the endpoint path). A secret: never logged. */
  token: string;
  /** `jaeger`: Thrift over HTTP; `otlp`: OTLP/HTTP protobuf. */
  protocol: 'jaeger' | 'otlp';
  /** Use the VPC-internal host (`...-internal.aliyuncs.com`), e.g. from Function Compute in the region. Default false. */
  internal?: boolean;
}
