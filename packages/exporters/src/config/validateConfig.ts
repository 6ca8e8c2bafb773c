import type { ExporterConfig, ExporterKind } from '../types';
import { ExporterConfigError } from './ExporterConfigError';

/** The settings each kind accepts; anything else is a typo caught at start-up. */
const KNOWN_SETTINGS: Record<ExporterKind, readonly string[]> = {
  jaeger: ['kind', 'endpoint', 'username', 'password', 'headers', 'timeoutMs', 'maxPayloadBytes', 'agent'],
  otlp: ['kind', 'url', 'headers', 'protocol', 'compression', 'timeoutMs'],
  zipkin: ['kind', 'url', 'headers', 'timeoutMs'],
  console: ['kind', 'write', 'attributes', 'barWidth', 'maxTraces', 'maxSpansPerTrace'],
  memory: ['kind', 'maxSpans'],
  none: ['kind'],
};
const KINDS = Object.keys(KNOWN_SETTINGS) as ExporterKind[];
const AGENT_SETTINGS = ['host', 'port', 'maxPacketSize'];
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// No control characters (CR/LF would split the request), which Node would reject at send time anyway.
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
const MAX_TIMEOUT_MS = 2_147_483_647;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkKnownSettings(
  config: Record<string, unknown>,
  known: readonly string[],
  setting: string,
): void {
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new ExporterConfigError(`${setting}.${key}`, `unknown setting (known: ${known.join(', ')})`);
    }
  }
}

function checkUrl(value: unknown, setting: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ExporterConfigError(setting, `must be a non-empty URL string, got ${describe(value)}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // An unparsable string may be a secret pasted in the wrong place: not shown.
    throw new ExporterConfigError(setting, 'is not a valid absolute URL (value not shown)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ExporterConfigError(
      setting,
      `must be an http:// or https:// URL, got scheme '${parsed.protocol}'`,
    );
  }
}

function checkHeaders(value: unknown, setting: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    throw new ExporterConfigError(
      setting,
      `must be an object of header name to string value, got ${describe(value)}`,
    );
  }
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ExporterConfigError(
        `${setting}`,
        `a header name is not a valid HTTP token (${name.length} characters)`,
      );
    }
    if (typeof headerValue !== 'string') {
      throw new ExporterConfigError(
        `${setting}['${name}']`,
        `must be a string, got ${describe(headerValue)}`,
      );
    }
    if (hasControlCharacters(headerValue)) {
      throw new ExporterConfigError(`${setting}['${name}']`, 'contains control characters (value not shown)');
    }
  }
}

function checkInteger(value: unknown, setting: string, min: number, max: number, unit = ''): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === 'number' ? String(value) : describe(value);
    throw new ExporterConfigError(setting, `must be an integer from ${min} to ${max}${unit}, got ${got}`);
  }
}

function checkString(value: unknown, setting: string, secret: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    throw new ExporterConfigError(setting, `must be a string, got ${describe(value)}`);
  }
  if (secret && hasControlCharacters(value)) {
    throw new ExporterConfigError(setting, 'contains control characters (value not shown)');
  }
}

function checkOneOf(value: unknown, setting: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const got = typeof value === 'string' ? `'${value}'` : describe(value);
    throw new ExporterConfigError(
      setting,
      `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${got}`,
    );
  }
}

function checkJaeger(config: Record<string, unknown>, setting: string): void {
  const { endpoint, agent } = config;
  if (endpoint !== undefined && agent !== undefined) {
    throw new ExporterConfigError(
      setting,
      "give either 'endpoint' (collector, Thrift over HTTP) or 'agent' (UDP), not both",
    );
  }
  checkUrl(endpoint, `${setting}.endpoint`);
  checkString(config.username, `${setting}.username`, false);
  checkString(config.password, `${setting}.password`, true);
  if (config.password !== undefined && config.username === undefined) {
    throw new ExporterConfigError(`${setting}.username`, "is required when 'password' is given (basic auth)");
  }
  checkHeaders(config.headers, `${setting}.headers`);
  checkInteger(config.timeoutMs, `${setting}.timeoutMs`, 1, MAX_TIMEOUT_MS, ' ms');
  checkInteger(config.maxPayloadBytes, `${setting}.maxPayloadBytes`, 1024, 2 ** 30, ' bytes');
  if (agent !== undefined) {
    if (!isRecord(agent)) {
      throw new ExporterConfigError(
        `${setting}.agent`,
        `must be an object { host?, port?, maxPacketSize? }, got ${describe(agent)}`,
      );
    }
    checkKnownSettings(agent, AGENT_SETTINGS, `${setting}.agent`);
    checkString(agent.host, `${setting}.agent.host`, false);
    if (agent.host === '') throw new ExporterConfigError(`${setting}.agent.host`, 'must not be empty');
    checkInteger(agent.port, `${setting}.agent.port`, 1, 65535);
    checkInteger(agent.maxPacketSize, `${setting}.agent.maxPacketSize`, 512, 65000, ' bytes');
  }
}

/**
 * Checks one exporter config at start-up and returns it typed, or throws `ExporterConfigError` naming the
 * setting (prefixed with `setting`, e.g. `profiles.production[0]`) and the problem, never a secret value.
 */
export function validateConfig(config: unknown, setting: string): ExporterConfig {
  if (!isRecord(config)) {
    throw new ExporterConfigError(
      setting,
      `must be an exporter config object with a 'kind', got ${describe(config)}`,
    );
  }
  const kind = config.kind;
  if (typeof kind !== 'string' || !(KINDS as string[]).includes(kind)) {
    const got = typeof kind === 'string' ? `'${kind}'` : describe(kind);
    throw new ExporterConfigError(`${setting}.kind`, `must be one of ${KINDS.join(', ')}, got ${got}`);
  }
  checkKnownSettings(config, KNOWN_SETTINGS[kind as ExporterKind], setting);
  switch (kind as ExporterKind) {
    case 'jaeger':
      checkJaeger(config, setting);
      break;
    case 'otlp':
      checkUrl(config.url, `${setting}.url`);
      checkHeaders(config.headers, `${setting}.headers`);
      checkOneOf(config.protocol, `${setting}.protocol`, ['http/protobuf', 'http/json']);
      checkOneOf(config.compression, `${setting}.compression`, ['gzip', 'none']);
      checkInteger(config.timeoutMs, `${setting}.timeoutMs`, 1, MAX_TIMEOUT_MS, ' ms');
      break;
    case 'zipkin':
      checkUrl(config.url, `${setting}.url`);
      checkHeaders(config.headers, `${setting}.headers`);
      checkInteger(config.timeoutMs, `${setting}.timeoutMs`, 1, MAX_TIMEOUT_MS, ' ms');
      break;
    case 'console':
      if (config.write !== undefined && typeof config.write !== 'function') {
        throw new ExporterConfigError(
          `${setting}.write`,
          `must be a function (text: string) => void, got ${describe(config.write)}`,
        );
      }
      if (config.attributes !== undefined && typeof config.attributes !== 'boolean') {
        throw new ExporterConfigError(
          `${setting}.attributes`,
          `must be a boolean, got ${describe(config.attributes)}`,
        );
      }
      checkInteger(config.barWidth, `${setting}.barWidth`, 1, 500, ' characters');
      checkInteger(config.maxTraces, `${setting}.maxTraces`, 1, 1_000_000);
      checkInteger(config.maxSpansPerTrace, `${setting}.maxSpansPerTrace`, 1, 1_000_000);
      break;
    case 'memory':
      checkInteger(config.maxSpans, `${setting}.maxSpans`, 1, 100_000_000);
      break;
    case 'none':
      break;
  }
  return config as unknown as ExporterConfig;
}
