import type { SpanContext } from '@opentelemetry/api';
import { traceryCore } from '../loading/lazyModules';

/**
 * Parses FC's `context.tracing.openTracingSpanContext` (Jaeger's `{trace-id}:{span-id}:{parent-span-id}:{flags}`).
 *
 * Strict: trace id 1-32 hex digits and span id 1-16, left-padded to OpenTelemetry's 32/16 (an unpadded id would
 * silently start a new trace); the sampled bit is honoured and debug counts as sampled; all-zero ids, wrong field
 * counts, non-hex digits, oversize input or a non-string give `undefined`. Never throws.
 *
 * @example
 * parseFcSpanContext(context.tracing?.openTracingSpanContext);
 * // '1f2e3d4c5b6a7988:a1b2c3d4e5f60718:0:1' -> { traceId: '00000000000000001f2e3d4c5b6a7988', spanId: 'a1b2c3d4e5f60718', traceFlags: 1, isRemote: true }
 */
export function parseFcSpanContext(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return traceryCore().parseJaegerSpanContext(value);
  } catch {
    return undefined;
  }
}
