import type { FaasTrigger, FcContextPolicy, FcTracingOptions, Flushable } from '../types';
import type { TracerProvider } from '@opentelemetry/api';
import { booleanSetting, choiceSetting, integerSetting } from '@tracery/commons';
import { fcReporter } from '../diagnostics/fcReporter';
import type { TracingSource } from '../provider/invocationTracing';

/** Default upper bound of the flush before a result is handed back, in ms. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 2000;
/** Default time kept free before the invocation's deadline, in ms. */
export const DEFAULT_SAFETY_MARGIN_MS = 200;

/** Options of a wrapper, resolved once when the handler is wrapped (environment variables included). */
export interface InvocationSettings {
  spanName?: string;
  fcContextPolicy: FcContextPolicy;
  forceSample: boolean;
  flushTimeoutMs: number;
  safetyMarginMs: number;
  upstreamHeaders: boolean;
  trigger?: FaasTrigger;
  attributes: Record<string, string | number | boolean>;
  tracerProvider?: TracerProvider;
  tracerService?: Flushable & { provider?: TracerProvider };
  serviceName?: string;
  /** Where the invocations' spans go, as `resolveTracing` takes it. */
  tracingSource: TracingSource;
  /** What an event handler's event is inspected for: nothing, an HTTP request only, or its trigger too. */
  eventInspection: 'none' | 'http' | 'all';
  /**
   * FC's credential variables (`ALIBABA_CLOUD_*`, the same temporary keys as `context.credentials`, there also
   * when the context lacks them): secrets, read once here.
   */
  environmentSecrets: readonly string[];
}

/** FC's credential variables. */
const CREDENTIAL_VARIABLES = [
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
] as const;
/** Shortest credential treated as a secret (shorter values would mask ordinary words). */
export const MIN_CREDENTIAL_LENGTH = 8;

const POLICIES: readonly FcContextPolicy[] = ['parent', 'link', 'ignore'];

/** Longest flush wait accepted, in ms: a function never wants to wait longer than this for its spans. */
const MAX_FLUSH_TIMEOUT_MS = 600_000;

/**
 * Options first, then `TRACERY_FC_*` environment variables, then the defaults. Each is validated where it is read
 * (`@tracery/commons`' settings): an odd value falls back to the default with one `diag` line naming the option or
 * variable. `flushTimeoutMs` is a whole number from 10 to 600000 ms, `safetyMarginMs` from 0 to 600000 ms.
 */
export function resolveSettings(
  options: FcTracingOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): InvocationSettings {
  const settings: Omit<InvocationSettings, 'tracingSource' | 'eventInspection' | 'environmentSecrets'> = {
    spanName: typeof options.spanName === 'string' && options.spanName !== '' ? options.spanName : undefined,
    fcContextPolicy: choiceSetting(
      fcReporter,
      {
        option: 'fcContextPolicy',
        variable: 'TRACERY_FC_CONTEXT_POLICY',
        choices: POLICIES,
        fallback: 'parent',
      },
      options.fcContextPolicy,
      env,
    ),
    forceSample: booleanSetting(
      fcReporter,
      { option: 'forceSample', variable: 'TRACERY_FC_FORCE_SAMPLE', fallback: false },
      options.forceSample,
      env,
    ),
    flushTimeoutMs: integerSetting(
      fcReporter,
      {
        option: 'flushTimeoutMs',
        variable: 'TRACERY_FC_FLUSH_TIMEOUT_MS',
        min: 10,
        max: MAX_FLUSH_TIMEOUT_MS,
        fallback: DEFAULT_FLUSH_TIMEOUT_MS,
        unit: 'ms',
      },
      options.flushTimeoutMs,
      env,
    ),
    safetyMarginMs: integerSetting(
      fcReporter,
      {
        option: 'safetyMarginMs',
        variable: 'TRACERY_FC_SAFETY_MARGIN_MS',
        min: 0,
        max: MAX_FLUSH_TIMEOUT_MS,
        fallback: DEFAULT_SAFETY_MARGIN_MS,
        unit: 'ms',
      },
      options.safetyMarginMs,
      env,
    ),
    upstreamHeaders: options.upstreamHeaders !== false,
    trigger: options.trigger,
    attributes: { ...(options.attributes ?? {}) },
    tracerProvider: options.tracerProvider,
    tracerService: options.tracerService,
    serviceName: options.serviceName,
  };
  return {
    ...settings,
    tracingSource: {
      tracerProvider: settings.tracerProvider,
      tracerService: settings.tracerService,
      serviceName: settings.serviceName,
      exportTimeoutMs: settings.flushTimeoutMs,
    },
    eventInspection: settings.trigger === undefined ? 'all' : settings.upstreamHeaders ? 'http' : 'none',
    environmentSecrets: credentialsOf(env),
  };
}

/** The credential variables' values long enough to be secrets, each once. */
export function credentialsOf(env: NodeJS.ProcessEnv): string[] {
  const secrets: string[] = [];
  for (const name of CREDENTIAL_VARIABLES) {
    const value = env[name];
    if (typeof value === 'string' && value.length >= MIN_CREDENTIAL_LENGTH && !secrets.includes(value))
      secrets.push(value);
  }
  return secrets;
}
