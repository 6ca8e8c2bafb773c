import { isSpanContextValid, trace, TraceFlags, type Link, type SpanContext } from '@opentelemetry/api';
import { extractTraceHeaders } from '../propagation/extractTraceHeaders';
import { parseJaegerSpanContext } from '../propagation/jaegerSpanContext';
import { parseTraceparent } from '../propagation/traceparent';

/** Most links one traced call collects; further targets are ignored (OpenTelemetry's default link limit). */
export const MAX_LINKS_PER_SPAN = 128;

/** Longest string read as a `traceparent`/`uber-trace-id` value; longer ones are bad values. */
const MAX_LINK_STRING_LENGTH = 512;

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
    const found = trace.getSpanContext(extractTraceHeaders(value));
    if (found !== undefined && isSpanContextValid(found)) return { context: found };
  } catch {
    // a throwing getter, a revoked proxy: a bad value
  }
  return undefined;
}

function spanContextOfString(value: string): SpanContext | undefined {
  if (value.length > MAX_LINK_STRING_LENGTH) return undefined;
  const text = value.trim();
  const traceparent = parseTraceparent(text);
  if (traceparent === undefined) return parseJaegerSpanContext(text);
  return {
    traceId: traceparent.traceId,
    spanId: traceparent.spanId,
    traceFlags: traceparent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
}

function isSpanContextShape(value: Record<string, unknown>): value is SpanContext & Record<string, unknown> {
  return typeof value.traceId === 'string' && typeof value.spanId === 'string';
}

function linkFromContext(spanContext: SpanContext | undefined): Link | undefined {
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return {
    context: {
      traceId: spanContext.traceId.toLowerCase(),
      spanId: spanContext.spanId.toLowerCase(),
      traceFlags: typeof spanContext.traceFlags === 'number' ? spanContext.traceFlags : 0,
      ...(spanContext.isRemote !== undefined ? { isRemote: spanContext.isRemote } : {}),
      ...(spanContext.traceState !== undefined ? { traceState: spanContext.traceState } : {}),
    },
  };
}
