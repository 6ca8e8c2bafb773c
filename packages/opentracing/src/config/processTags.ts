import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Attributes } from '@opentelemetry/api';
import { toAttributeValue } from '../tracer/tagValues';

/**
 * The process tags of jaeger-client, as OpenTelemetry resource attributes: `options.tags` (values
 * normalised like span tags), then, unless given, `hostname` (the OS host name) and `ip` (the first
 * non-internal IPv4 address, `0.0.0.0` without one), and a fresh `client-uuid` for this tracer.
 */
export function processTags(
  tags: Readonly<Record<string, unknown>> | undefined,
  lengthLimit: number,
): Attributes {
  const attributes: Attributes = {};
  if (tags !== null && typeof tags === 'object') {
    for (const key of Object.keys(tags)) {
      const value = toAttributeValue(tags[key], lengthLimit);
      if (value !== undefined) attributes[key] = value;
    }
  }
  attributes.hostname ??= os.hostname();
  attributes.ip ??= firstIPv4();
  attributes['client-uuid'] = randomUUID();
  return attributes;
}

function firstIPv4(): string {
  try {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) {
        if (address.family === 'IPv4' && !address.internal) return address.address;
      }
    }
  } catch {
    // No interfaces to read (a sandbox).
  }
  return '0.0.0.0';
}
