import { TraceFlags, type SpanContext } from '@opentelemetry/api';

/** W3C Level 2 random-trace-id flag: at least the right-most 7 bytes of the trace id are random. */
export const RANDOM_TRACE_ID_FLAG = 0x02;

/** Longest `traceparent` read: a version above 00 may append fields, but not without bound. */
export const MAX_TRACEPARENT_LENGTH = 512;

/** The fixed part: `vv-{32 hex}-{16 hex}-ff`. */
const VERSION_00_LENGTH = 55;
const LOWER_HEX = /^[0-9a-f]+$/;
const ALL_ZEROS = /^0+$/;

/** What a `traceparent` says. */
export interface Traceparent {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  readonly randomTraceId: boolean;
  /** The version read (`00`, or a later one parsed by the rules for future versions). */
  readonly version: string;
}

/**
 * Parses a W3C `traceparent` value (OWS already removed) as the Trace Context spec (Level 2) says: version
 * 2 lower-case hex digits, not `ff`; trace id 32 and parent id 16 lower-case hex digits, not all zero; flags 2
 * lower-case hex digits. Version `00` is exactly 55 characters; a later version must be at least that long
 * and, after the flags, either end or go on with `-` (the rest is not read). Anything else: `undefined`.
 *
 * @example
 * parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
 * // { version: '00', traceId: '0af7…319c', spanId: 'b7ad6b7169203331', sampled: true, randomTraceId: false }
 */
export function parseTraceparent(value: string): Traceparent | undefined {
  if (value.length < VERSION_00_LENGTH || value.length > MAX_TRACEPARENT_LENGTH) return undefined;
  const version = value.slice(0, 2);
  if (!LOWER_HEX.test(version) || version === 'ff') return undefined;
  if (
    version === '00'
      ? value.length !== VERSION_00_LENGTH
      : value.length > VERSION_00_LENGTH && value[55] !== '-'
  )
    return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!LOWER_HEX.test(traceId) || !LOWER_HEX.test(spanId) || !LOWER_HEX.test(flags)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  const flagBits = parseInt(flags, 16);
  return {
    version,
    traceId,
    spanId,
    sampled: (flagBits & TraceFlags.SAMPLED) !== 0,
    randomTraceId: (flagBits & RANDOM_TRACE_ID_FLAG) !== 0,
  };
}

/**
 * The version-00 `traceparent` of `spanContext`: its ids (written lower-case), the sampled flag and, when
 * `randomTraceId`, the random flag; the flags the spec reserves are always zero.
 */
export function formatTraceparent(
  spanContext: SpanContext,
  sampled: boolean,
  randomTraceId: boolean,
): string {
  const flags = (sampled ? TraceFlags.SAMPLED : 0) | (randomTraceId ? RANDOM_TRACE_ID_FLAG : 0);
  return `00-${spanContext.traceId.toLowerCase()}-${spanContext.spanId.toLowerCase()}-0${flags}`;
}
