import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { buildExporter } from '../createExporter';
import type { ExporterProfiles } from '../types';
import { ExporterConfigError } from './ExporterConfigError';

/**
 * Builds the exporter of the current environment from per-environment profiles. `envName` defaults to
 * `TRACERY_ENV`, then `NODE_ENV`; a `default` profile, if given, is used when neither is set. A profile given as
 * a function is called only when its environment is chosen.
 *
 * @throws ExporterConfigError when the environment has no profile (the message lists the known names) or
 *   its config is invalid (the message names the setting, e.g. `profiles.production[1].url`, never a secret).
 * @example
 * const exporter = selectExporter({
 *   development: { kind: 'console' },
 *   test: { kind: 'memory' },
 *   production: () => tracingAnalysis({ region: 'cn-hangzhou', token: process.env.TA_TOKEN ?? '', protocol: 'otlp' }),
 * });
 */
export function selectExporter(
  profiles: ExporterProfiles,
  envName: string | undefined = process.env.TRACERY_ENV ?? process.env.NODE_ENV,
): SpanExporter {
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new ExporterConfigError('profiles', 'must be an object of environment name to exporter config(s)');
  }
  const known = Object.keys(profiles);
  const name = envName?.trim() || (Object.hasOwn(profiles, 'default') ? 'default' : undefined);
  if (name === undefined) {
    throw new ExporterConfigError(
      'TRACERY_ENV',
      `no environment name (set TRACERY_ENV or NODE_ENV, or add a 'default' profile); known: ${known.join(', ') || 'none'}`,
    );
  }
  if (!Object.hasOwn(profiles, name)) {
    throw new ExporterConfigError(
      'TRACERY_ENV',
      `no exporter profile for environment '${name}' (known: ${known.join(', ') || 'none'})`,
    );
  }
  const profile = profiles[name];
  return buildExporter(typeof profile === 'function' ? profile() : profile, `profiles.${name}`);
}
