import { TraceFlags, type SpanContext, type TextMapGetter } from '@opentelemetry/api';
import { firstHeader } from './headerValues';
import type { SamplingState } from './samplingSignals';

export const B3_SINGLE_HEADER = 'b3';
export const B3_TRACE_ID_HEADER = 'x-b3-traceid';
export const B3_SPAN_ID_HEADER = 'x-b3-spanid';
export const B3_PARENT_SPAN_ID_HEADER = 'x-b3-parentspanid';
export const B3_SAMPLED_HEADER = 'x-b3-sampled';
export const B3_FLAGS_HEADER = 'x-b3-flags';

/** The longest `b3` value: 128-bit trace id, span id, sampling state and parent span id, with separators. */
const MAX_B3_SINGLE_LENGTH = 32 + 1 + 16 + 2 + 17;
const B3_SINGLE = /^([0-9a-fA-F]{32}|[0-9a-fA-F]{16})-([0-9a-fA-F]{16})(?:-([01d]))?(?:-([0-9a-fA-F]{16}))?$/;
/** Longest `X-B3-*` value looked at; longer ones are malformed (each well-formed one has at most 32). */
const MAX_B3_FIELD_LENGTH = 64;
const TRACE_ID = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{16})$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const ALL_ZEROS = /^0+$/;

/** What B3 headers say: a sampling state, with the span context it is about unless it came alone. */
export interface B3Context {
  readonly spanContext?: SpanContext;
  readonly state: SamplingState;
}

/**
 * Parses a `b3` value (OWS already removed): `{trace-id}-{span-id}[-{state}][-{parent-span-id}]` with a 16 or
 * 32 hex-digit trace id (16 are left-padded to OpenTelemetry's 32), 16-digit span and parent ids (trace and
 * span id not all zero; upper-case digits read, written lower-case), state `0` deny, `1` accept, `d` debug,
 * absent defer; or a state alone (`0`, `1`, `d`). Anything else, a prefix, a suffix or a character inside:
 * `undefined`. The parent span id is checked, not used: all zeros is Jaeger's "no parent".
 */
export function parseB3Single(value: string): B3Context | undefined {
  if (value.length === 1) return stateOnly(value);
  if (value.length > MAX_B3_SINGLE_LENGTH) return undefined;
  const match = B3_SINGLE.exec(value);
  if (match === null) return undefined;
  const [, traceId, spanId, state] = match;
  return withIds(traceId, spanId, state === undefined ? 'defer' : stateOf(state));
}

/**
 * Reads the `X-B3-*` headers (first value of each): `X-B3-TraceId` (16 or 32 hex digits) with `X-B3-SpanId`
 * (16), an optional `X-B3-ParentSpanId` (16), `X-B3-Sampled` `1`/`0` (or the older `true`/`false`; absent:
 * defer) and `X-B3-Flags: 1` (debug). `X-B3-Sampled` or `X-B3-Flags` without ids is a sampling state alone.
 * Any header present but malformed makes the whole set malformed: `undefined`. An all-zero
 * `X-B3-ParentSpanId` means no parent, as in Jaeger's own format: Jaeger's Ruby client writes
 * `X-B3-ParentSpanId: 0000000000000000` on every root span, and rejecting it lost all of its traces.
 */
export function readB3Multi(getter: TextMapGetter, carrier: unknown): B3Context | undefined {
  const traceId = field(getter, carrier, B3_TRACE_ID_HEADER);
  const spanId = field(getter, carrier, B3_SPAN_ID_HEADER);
  const parentSpanId = field(getter, carrier, B3_PARENT_SPAN_ID_HEADER);
  const sampled = field(getter, carrier, B3_SAMPLED_HEADER);
  const flags = field(getter, carrier, B3_FLAGS_HEADER);
  if (traceId === null || spanId === null || parentSpanId === null || sampled === null || flags === null)
    return undefined;
  if (flags !== undefined && flags !== '0' && flags !== '1') return undefined;
  const accepted = sampled === undefined ? undefined : sampledValue(sampled);
  if (sampled !== undefined && accepted === undefined) return undefined;
  const state: SamplingState | undefined =
    flags === '1' ? 'debug' : accepted === undefined ? undefined : accepted ? 'accept' : 'deny';
  if (traceId === undefined && spanId === undefined && parentSpanId === undefined) {
    return state === undefined ? undefined : { state };
  }
  if (traceId === undefined || spanId === undefined || !TRACE_ID.test(traceId) || !SPAN_ID.test(spanId))
    return undefined;
  if (parentSpanId !== undefined && !SPAN_ID.test(parentSpanId)) return undefined;
  return withIds(traceId, spanId, state ?? 'defer');
}

/** A header's first value; `undefined` when absent, `null` when present but unreadable (oversize, not text). */
function field(getter: TextMapGetter, carrier: unknown, name: string): string | undefined | null {
  const value = firstHeader(getter, carrier, name, MAX_B3_FIELD_LENGTH);
  if (value !== undefined) return value;
  return getter.get(carrier, name) === undefined ? undefined : null;
}

function withIds(traceId: string, spanId: string, state: SamplingState): B3Context | undefined {
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  const sampled = state === 'accept' || state === 'debug';
  return {
    state,
    spanContext: {
      traceId: traceId.toLowerCase().padStart(32, '0'),
      spanId: spanId.toLowerCase(),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    },
  };
}

function stateOnly(value: string): B3Context | undefined {
  return value === '0' || value === '1' || value === 'd' ? { state: stateOf(value) } : undefined;
}

function stateOf(value: string): SamplingState {
  return value === 'd' ? 'debug' : value === '1' ? 'accept' : 'deny';
}

function sampledValue(value: string): boolean | undefined {
  switch (value.toLowerCase()) {
    case '1':
    case 'true':
      return true;
    case '0':
    case 'false':
      return false;
    default:
      return undefined;
  }
}
