import type { Env } from '@tracery/commons';
/** True when `OTEL_SDK_DISABLED` is `true` (case-insensitive, surrounding blanks ignored), as OpenTelemetry reads it. */
export function isSdkDisabled(env: Env = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}
