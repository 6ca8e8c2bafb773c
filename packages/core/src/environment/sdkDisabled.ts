/** True when `OTEL_SDK_DISABLED` is `true` (case-insensitive, surrounding blanks ignored), as OpenTelemetry reads it. */
export function isSdkDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}
