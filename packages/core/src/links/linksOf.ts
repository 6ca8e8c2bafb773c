import {
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  type Link,
  type SpanContext,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '../propagation/JaegerPropagator';
import { headerGetter } from '../propagation/headerCarrier';
import { parseJaegerSpanContext } from '../propagation/jaegerSpanContext';

/** Most links one traced call collects; further targets are ignored (OpenTelemetry's default link limit). */
export const MAX_LINKS_PER_SPAN = 128;

/** Longest string read as a `traceparent`/`uber-trace-id` value; longer ones are bad values. */
const MAX_LINK_STRING_LENGTH = 512;

let carrierPropagators: TextMapPropagator[] | undefined;

/** W3C trace context, Jaeger and B3 (single and multi header): the formats a carrier is read in, in order. */
function propagators(): TextMapPropagator[] {
  carrierPropagators ??= [new W3CTraceContextPropagator(), new JaegerPropagator(), new B3Propagator()];
  return carrierPropagators;
}

/**
 * Appends to `links` the links made from `target`: a span context, a `Link`, a `traceparent` (or Jaeger
 * `uber-trace-id`) string, a carrier of headers, or an array of any of these. Stops at
 * `MAX_LINKS_PER_SPAN`. Returns the number of values that gave no link (bad values); never throws on
 * hostile input (a throwing getter or a revoked proxy counts as a bad value).
 */
export function collectLinks(target: unknown, links: Link[]): number {
  if (target === undefined || target === null) return 0;
  let bad = 0;
  if (Array.isArray(target)) {
    for (let i = 0; i < target.length && links.length < MAX_LINKS_PER_SPAN; i++) {
      const item: unknown = target[i];
      if (item === undefined || item === null) continue;
      const link = linkOf(item);
      if (link === undefined) bad++;
      else links.push(link);
    }
    return bad;
  }
  if (links.length >= MAX_LINKS_PER_SPAN) return 0;
  const link = linkOf(target);
  if (link === undefined) return 1;
  links.push(link);
  return 0;
}

/** The link one value gives, or `undefined` when it names no valid span context. */
export function linkOf(value: unknown): Link | undefined {
  try {
    if (typeof value === 'string') return linkFromContext(spanContextOfString(value));
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    if (isSpanContextShape(record)) return linkFromContext(record);
    const linked = record.context;
    if (
      linked !== null &&
      typeof linked === 'object' &&
      isSpanContextShape(linked as Record<string, unknown>)
    ) {
      const link = linkFromContext(linked as SpanContext);
      const attributes = record.attributes;
      if (link !== undefined && attributes !== null && typeof attributes === 'object') {
        link.attributes = { ...(attributes as Link['attributes']) };
      }
      return link;
    }
    for (const propagator of propagators()) {
      const found = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, value, headerGetter));
      if (found !== undefined && isSpanContextValid(found)) return { context: found };
    }
  } catch {
    // a throwing getter, a revoked proxy: a bad value
  }
  return undefined;
}

function spanContextOfString(value: string): SpanContext | undefined {
  if (value.length > MAX_LINK_STRING_LENGTH) return undefined;
  const fromTraceparent = trace.getSpanContext(
    propagators()[0].extract(ROOT_CONTEXT, { traceparent: value.trim() }, headerGetter),
  );
  return fromTraceparent ?? parseJaegerSpanContext(value.trim());
}

function isSpanContextShape(value: Record<string, unknown>): value is SpanContext & Record<string, unknown> {
  return typeof value.traceId === 'string' && typeof value.spanId === 'string';
}

function linkFromContext(spanContext: SpanContext | undefined): Link | undefined {
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return {
    context: {
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      traceFlags: typeof spanContext.traceFlags === 'number' ? spanContext.traceFlags : 0,
      ...(spanContext.isRemote !== undefined ? { isRemote: spanContext.isRemote } : {}),
      ...(spanContext.traceState !== undefined ? { traceState: spanContext.traceState } : {}),
    },
  };
}
