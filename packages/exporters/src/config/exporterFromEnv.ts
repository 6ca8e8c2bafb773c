import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { integerSetting, type Env } from '@tracery/commons';
import { buildExporter } from '../createExporter';
import { exportersReporter } from '../export/reporter';
import type {
  ExporterConfig,
  JaegerExporterConfig,
  OtlpExporterConfig,
  OtlpCompression,
  OtlpProtocol,
  ZipkinExporterConfig,
} from '../types';
import { ExporterConfigError } from './ExporterConfigError';

const ENV_KINDS = ['otlp', 'jaeger', 'zipkin', 'console', 'none'] as const;
type EnvKind = (typeof ENV_KINDS)[number];

/** The exporter used when `OTEL_TRACES_EXPORTER` is not set: `otlp`, as the OpenTelemetry specification says. */
export const DEFAULT_TRACES_EXPORTER: EnvKind = 'otlp';

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readFirst(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = read(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function parseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // An unparsable value may be a secret pasted in the wrong variable: not shown.
    throw new ExporterConfigError(
      name,
      'must be an http:// or https:// URL, got a value that is not a URL (not shown)',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ExporterConfigError(name, `must be an http:// or https:// URL, got scheme '${url.protocol}'`);
  }
  return value;
}

/** Default export timeout when a timeout variable is malformed or out of range (it is then reported once). */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * An export timeout variable: a whole number of milliseconds from 1 to 2147483647. Anything else falls back to
 * the default with one `diag` line naming the variable (a typo in a timeout must not stop tracing).
 */
function parseMs(name: string, env: Env): number {
  return integerSetting(
    exportersReporter,
    { variable: name, min: 1, max: 2_147_483_647, fallback: DEFAULT_TIMEOUT_MS, unit: 'ms' },
    undefined,
    env,
  );
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ExporterConfigError(name, `must be a port number from 1 to 65535, got '${value}'`);
  }
  return port;
}

/**
 * Parses the W3C-baggage-like `key=value,key2=value2` list of `OTEL_EXPORTER_OTLP_HEADERS`: keys and values
 * are URL-decoded and trimmed. Errors name the variable and the entry's position, never the value.
 */
function parseHeaders(name: string, value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  value.split(',').forEach((entry, index) => {
    if (entry.trim() === '') return;
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new ExporterConfigError(name, `entry ${index + 1} is not key=value (value not shown)`);
    }
    let key: string;
    let headerValue: string;
    try {
      key = decodeURIComponent(entry.slice(0, eq).trim());
      headerValue = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw new ExporterConfigError(name, `entry ${index + 1} has invalid %-encoding (value not shown)`);
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new ExporterConfigError(name, `entry ${index + 1} has a key that is not a valid header name`);
    }
    headers[key] = headerValue;
  });
  return headers;
}

function otlpFromEnv(env: Env): OtlpExporterConfig {
  const config: OtlpExporterConfig = { kind: 'otlp' };
  const tracesEndpoint = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (tracesEndpoint !== undefined) {
    config.url = parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint);
  } else if (endpoint !== undefined) {
    const base = parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint);
    config.url = `${base.replace(/\/+$/, '')}/v1/traces`;
  }
  // Generic headers first, traces-specific ones override them key by key.
  const generic = read(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  const specific = read(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS');
  if (generic !== undefined || specific !== undefined) {
    config.headers = {
      ...(generic !== undefined ? parseHeaders('OTEL_EXPORTER_OTLP_HEADERS', generic) : {}),
      ...(specific !== undefined ? parseHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', specific) : {}),
    };
  }
  const protocol = readFirst(env, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']);
  if (protocol) {
    if (protocol.value === 'grpc') {
      throw new ExporterConfigError(
        protocol.name,
        "'grpc' is not supported here; use 'http/protobuf' or 'http/json'",
      );
    }
    if (protocol.value !== 'http/protobuf' && protocol.value !== 'http/json') {
      throw new ExporterConfigError(
        protocol.name,
        `must be 'http/protobuf' or 'http/json', got '${protocol.value}'`,
      );
    }
    config.protocol = protocol.value as OtlpProtocol;
  }
  const compression = readFirst(env, [
    'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION',
    'OTEL_EXPORTER_OTLP_COMPRESSION',
  ]);
  if (compression) {
    if (compression.value !== 'gzip' && compression.value !== 'none') {
      throw new ExporterConfigError(compression.name, `must be 'gzip' or 'none', got '${compression.value}'`);
    }
    config.compression = compression.value as OtlpCompression;
  }
  const timeout = readFirst(env, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']);
  if (timeout) config.timeoutMs = parseMs(timeout.name, env);
  return config;
}

function jaegerFromEnv(env: Env): JaegerExporterConfig {
  const config: JaegerExporterConfig = { kind: 'jaeger' };
  const endpoint = read(env, 'OTEL_EXPORTER_JAEGER_ENDPOINT');
  const host = read(env, 'OTEL_EXPORTER_JAEGER_AGENT_HOST');
  const port = read(env, 'OTEL_EXPORTER_JAEGER_AGENT_PORT');
  if (endpoint !== undefined) {
    config.endpoint = parseUrl('OTEL_EXPORTER_JAEGER_ENDPOINT', endpoint);
    const username = read(env, 'OTEL_EXPORTER_JAEGER_USER');
    // Passwords are taken verbatim: spaces at either end may be part of them.
    const password = env.OTEL_EXPORTER_JAEGER_PASSWORD || undefined;
    if (password !== undefined && username === undefined) {
      throw new ExporterConfigError(
        'OTEL_EXPORTER_JAEGER_USER',
        'must be set when OTEL_EXPORTER_JAEGER_PASSWORD is',
      );
    }
    if (username !== undefined) config.username = username;
    if (password !== undefined) config.password = password;
  } else if (host !== undefined || port !== undefined) {
    config.agent = {};
    if (host !== undefined) config.agent.host = host;
    if (port !== undefined) config.agent.port = parsePort('OTEL_EXPORTER_JAEGER_AGENT_PORT', port);
  }
  if (read(env, 'OTEL_EXPORTER_JAEGER_TIMEOUT') !== undefined) {
    config.timeoutMs = parseMs('OTEL_EXPORTER_JAEGER_TIMEOUT', env);
  }
  return config;
}

function zipkinFromEnv(env: Env): ZipkinExporterConfig {
  const config: ZipkinExporterConfig = { kind: 'zipkin' };
  const endpoint = read(env, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
  if (endpoint !== undefined) config.url = parseUrl('OTEL_EXPORTER_ZIPKIN_ENDPOINT', endpoint);
  if (read(env, 'OTEL_EXPORTER_ZIPKIN_TIMEOUT') !== undefined) {
    config.timeoutMs = parseMs('OTEL_EXPORTER_ZIPKIN_TIMEOUT', env);
  }
  return config;
}

/**
 * Reads the exporter settings from OpenTelemetry's own environment variables (the configs it builds are
 * what `createExporter` takes). `OTEL_TRACES_EXPORTER` lists the kinds (`otlp`, `jaeger`, `zipkin`,
 * `console`, `none`; several comma-separated build a fan-out); unset, it is `otlp`.
 * @throws ExporterConfigError naming the variable when a value is invalid (never showing a secret).
 */
export function exporterConfigsFromEnv(env: Env = process.env): ExporterConfig[] {
  const listed = (read(env, 'OTEL_TRACES_EXPORTER') ?? DEFAULT_TRACES_EXPORTER)
    .split(',')
    .map((k) => k.trim().toLowerCase())
    .filter((k) => k !== '');
  const kinds = [...new Set(listed)];
  if (kinds.length === 0) kinds.push(DEFAULT_TRACES_EXPORTER);
  for (const kind of kinds) {
    if (!(ENV_KINDS as readonly string[]).includes(kind)) {
      throw new ExporterConfigError(
        'OTEL_TRACES_EXPORTER',
        `unknown exporter '${kind}' (known: ${ENV_KINDS.join(', ')})`,
      );
    }
  }
  if (kinds.includes('none') && kinds.length > 1) {
    throw new ExporterConfigError('OTEL_TRACES_EXPORTER', "'none' cannot be combined with other exporters");
  }
  return (kinds as EnvKind[]).map((kind): ExporterConfig => {
    switch (kind) {
      case 'otlp':
        return otlpFromEnv(env);
      case 'jaeger':
        return jaegerFromEnv(env);
      case 'zipkin':
        return zipkinFromEnv(env);
      case 'console':
        return { kind: 'console' };
      case 'none':
        return { kind: 'none' };
    }
  });
}

/**
 * Builds the exporter described by OpenTelemetry's environment variables: `OTEL_TRACES_EXPORTER` (default
 * `otlp`, as the OpenTelemetry specification says), `OTEL_EXPORTER_OTLP_[TRACES_]{ENDPOINT,HEADERS,PROTOCOL,
 * COMPRESSION,TIMEOUT}` (traces-specific over generic), `OTEL_EXPORTER_JAEGER_{ENDPOINT,USER,PASSWORD,
 * AGENT_HOST,AGENT_PORT,TIMEOUT}`, `OTEL_EXPORTER_ZIPKIN_{ENDPOINT,TIMEOUT}`.
 *
 * @throws ExporterConfigError naming the variable when a value is invalid (never showing a secret).
 * @example
 * // OTEL_TRACES_EXPORTER=jaeger OTEL_EXPORTER_JAEGER_ENDPOINT=http://jaeger:14268/api/traces
 * const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporterFromEnv())] });
 */
export function exporterFromEnv(env: Env = process.env): SpanExporter {
  const configs = exporterConfigsFromEnv(env);
  return buildExporter(configs.length === 1 ? configs[0] : configs, 'OTEL_TRACES_EXPORTER');
}
