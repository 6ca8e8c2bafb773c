import type { FaasTrigger, FcContextPolicy, FcTracingOptions, Flushable } from '../types';
import type { TracerProvider } from '@opentelemetry/api';
import { reportOnce } from '../diagnostics/reportOnce';

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
}

const POLICIES: readonly FcContextPolicy[] = ['parent', 'link', 'ignore'];

/** Options first, then `TRACERY_FC_*` environment variables, then the defaults. Odd values fall back to the default. */
export function resolveSettings(
  options: FcTracingOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): InvocationSettings {
  return {
    spanName: typeof options.spanName === 'string' && options.spanName !== '' ? options.spanName : undefined,
    fcContextPolicy: policy(options.fcContextPolicy ?? env.TRACERY_FC_CONTEXT_POLICY),
    forceSample: options.forceSample ?? env.TRACERY_FC_FORCE_SAMPLE?.toLowerCase() === 'true',
    flushTimeoutMs: milliseconds(
      'flushTimeoutMs',
      options.flushTimeoutMs ?? env.TRACERY_FC_FLUSH_TIMEOUT_MS,
      DEFAULT_FLUSH_TIMEOUT_MS,
    ),
    safetyMarginMs: milliseconds(
      'safetyMarginMs',
      options.safetyMarginMs ?? env.TRACERY_FC_SAFETY_MARGIN_MS,
      DEFAULT_SAFETY_MARGIN_MS,
    ),
    upstreamHeaders: options.upstreamHeaders !== false,
    trigger: options.trigger,
    attributes: { ...(options.attributes ?? {}) },
    tracerProvider: options.tracerProvider,
    tracerService: options.tracerService,
    serviceName: options.serviceName,
  };
}

function policy(value: unknown): FcContextPolicy {
  if (value === undefined || value === '') return 'parent';
  if (POLICIES.includes(value as FcContextPolicy)) return value as FcContextPolicy;
  reportOnce('bad-policy', 'warn', `fcContextPolicy must be 'parent', 'link' or 'ignore'; using 'parent'`);
  return 'parent';
}

function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(n) && n >= 0) return n;
  reportOnce(`bad-${name}`, 'warn', `${name} must be a number of milliseconds >= 0; using ${fallback}`);
  return fallback;
}
