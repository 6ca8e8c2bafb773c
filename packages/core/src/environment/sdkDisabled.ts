import { booleanSetting, type Env } from '@tracery/commons';
import { coreReporter } from '../diagnostics/reportOnce';

/**
 * True when `OTEL_SDK_DISABLED` is `true` (case-insensitive, surrounding blanks ignored), as OpenTelemetry reads it;
 * a value other than `true`/`false` counts as unset, reported once.
 */
export function isSdkDisabled(env: Env = process.env): boolean {
  return booleanSetting(coreReporter, { variable: 'OTEL_SDK_DISABLED', fallback: false }, undefined, env);
}
