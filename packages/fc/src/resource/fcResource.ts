import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { openTelemetryResources } from '../loading/lazyModules';
import type { FcContext } from '../types';

// Incubating semantic-convention names, defined here as the semantic-conventions package advises.
const ATTR_CLOUD_PROVIDER = 'cloud.provider';
const ATTR_CLOUD_PLATFORM = 'cloud.platform';
const ATTR_CLOUD_REGION = 'cloud.region';
const ATTR_CLOUD_ACCOUNT_ID = 'cloud.account.id';
const ATTR_FAAS_NAME = 'faas.name';
const ATTR_FAAS_VERSION = 'faas.version';
const ATTR_FAAS_INSTANCE = 'faas.instance';
const ATTR_FAAS_MAX_MEMORY = 'faas.max_memory';
const ATTR_SERVICE_NAME = 'service.name';

const BYTES_PER_MB = 1024 * 1024;

/**
 * Resource of a Function Compute instance, from FC's environment variables and, when given, an invocation's
 * `context` (which wins): `cloud.provider` (`alibaba_cloud`), `cloud.platform` (`alibaba_cloud_fc`),
 * `cloud.region`, `cloud.account.id`, `faas.name`, `faas.version`, `faas.instance`, `faas.max_memory` (bytes)
 * and `service.name` (`serviceName`, else `OTEL_SERVICE_NAME`, else FC's service name, else the function name).
 * Credentials are never read.
 *
 * @example
 * createTracerProvider({ resource: fcResource(context).attributes, exporter });
 */
export function fcResource(
  fcContext?: FcContext,
  options: { serviceName?: string; env?: NodeJS.ProcessEnv } = {},
): Resource {
  return openTelemetryResources().resourceFromAttributes(fcResourceAttributes(fcContext, options));
}

/** The attributes of `fcResource`, as a plain object. */
export function fcResourceAttributes(
  fcContext?: FcContext,
  options: { serviceName?: string; env?: NodeJS.ProcessEnv } = {},
): Attributes {
  const env = options.env ?? process.env;
  const ctx = typeof fcContext === 'object' && fcContext !== null ? fcContext : {};
  const fn = isObject(ctx.function) ? ctx.function : {};
  const service = isObject(ctx.service) ? ctx.service : {};

  const functionName = text(fn.name) ?? text(env.FC_FUNCTION_NAME);
  const memoryMb = positiveNumber(fn.memory) ?? positiveNumber(env.FC_FUNCTION_MEMORY_SIZE);
  const attributes: Attributes = {
    [ATTR_CLOUD_PROVIDER]: 'alibaba_cloud',
    [ATTR_CLOUD_PLATFORM]: 'alibaba_cloud_fc',
  };
  put(attributes, ATTR_CLOUD_REGION, text(ctx.region) ?? text(env.FC_REGION));
  put(attributes, ATTR_CLOUD_ACCOUNT_ID, text(ctx.accountId) ?? text(env.FC_ACCOUNT_ID));
  put(attributes, ATTR_FAAS_NAME, functionName);
  put(
    attributes,
    ATTR_FAAS_VERSION,
    text(env.FC_FUNCTION_VERSION) ??
      text(env.FC_VER_ID) ??
      text(service.versionId) ??
      text(service.qualifier),
  );
  put(attributes, ATTR_FAAS_INSTANCE, text(env.FC_INSTANCE_ID));
  if (memoryMb !== undefined) attributes[ATTR_FAAS_MAX_MEMORY] = Math.round(memoryMb * BYTES_PER_MB);
  put(
    attributes,
    ATTR_SERVICE_NAME,
    text(options.serviceName) ??
      text(env.OTEL_SERVICE_NAME) ??
      text(service.name) ??
      text(env.FC_SERVICE_NAME) ??
      functionName,
  );
  return attributes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

function positiveNumber(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function put(attributes: Attributes, key: string, value: string | undefined): void {
  if (value !== undefined) attributes[key] = value;
}
