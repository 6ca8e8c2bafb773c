import {
  context as otelContext,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { describeError, redactText, rememberSecrets } from '@tracery/commons';
import { fcReporter } from '../diagnostics/fcReporter';
import type { EventDescription } from '../events/describeEvent';
import { fcParentContext, readTracing } from '../propagation/fcParentContext';
import { parseFcSpanContext } from '../propagation/parseFcSpanContext';
import { upstreamSpanContext, withUpstream } from '../propagation/upstreamSpanContext';
import { resolveTracing, type InvocationTracing } from '../provider/invocationTracing';
import type { FcContext } from '../types';
import type { FlushOutcome } from './flushWithinBudget';
import type { InvocationSettings } from './settings';

// Incubating semantic-convention names, defined here as the semantic-conventions package advises.
const ATTR_FAAS_INVOCATION_ID = 'faas.invocation.id';
const ATTR_FAAS_TRIGGER = 'faas.trigger';
const ATTR_FAAS_COLDSTART = 'faas.coldstart';
const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
const ATTR_URL_PATH = 'url.path';

/** Longest `jaegerEndpoint` accepted, in characters. */
const MAX_ENDPOINT_LENGTH = 2048;
/** Longest request id, method or path recorded, in characters. */
const MAX_TEXT_ATTRIBUTE_LENGTH = 1024;

/** Whether the next invocation is the first of this process (`faas.coldstart`). */
let coldStart = true;

/** What kind of entry point is being traced. */
export type EntryKind = 'event' | 'http' | 'initializer';

/** One traced invocation: its span, made active by `run`, ended and flushed once by `finish`. */
export interface Invocation {
  /** Runs `fn` with the invocation span active. */
  run<T>(fn: () => T): T;
  /** Records the HTTP status code of the response. */
  setStatusCode(statusCode: unknown): void;
  /**
   * Records the outcome, ends the span and flushes within the budget. Only the first call counts; every call
   * returns the same promise, which never rejects.
   */
  finish(outcome: { failed: boolean; error?: unknown; result?: unknown }): Promise<void>;
  /** `text` safe for `diag`: the invocation's credentials and collector URL masked, URLs redacted. */
  safeText(text: string): string;
}

/**
 * Starts the invocation span for one call, or returns `undefined` when there is nothing to trace with (tracing
 * off: the caller then runs the handler unwrapped). Never throws.
 */
export function startInvocation(
  settings: InvocationSettings,
  kind: EntryKind,
  fcContextValue: unknown,
  event: EventDescription | undefined,
): Invocation | undefined {
  const startedAt = Date.now();
  const isColdStart = kind === 'initializer' ? true : coldStart;
  if (kind !== 'initializer') coldStart = false;
  try {
    const fcContext =
      typeof fcContextValue === 'object' && fcContextValue !== null
        ? (fcContextValue as FcContext)
        : undefined;
    const tracingField = readTracing(fcContext);
    const endpoint = readEndpoint(tracingField?.jaegerEndpoint);
    const tracing = resolveTracing(
      {
        tracerProvider: settings.tracerProvider,
        tracerService: settings.tracerService,
        serviceName: settings.serviceName,
        exportTimeoutMs: settings.flushTimeoutMs,
      },
      fcContext,
      endpoint,
    );
    if (tracing === undefined) {
      fcReporter.once(
        'tracing-off',
        'context.tracing.jaegerEndpoint is absent (tracing is off for this function) and no tracer provider is ' +
          'registered: invocations run untraced and nothing is exported',
        { level: 'info' },
      );
      return undefined;
    }
    return new TracedInvocation(settings, kind, fcContext, event, tracing, endpoint, startedAt, isColdStart);
  } catch (error) {
    fcReporter.once(
      'start',
      `could not start the invocation span: ${redactText(describeError(error), [], 300)}`,
      { level: 'error' },
    );
    return undefined;
  }
}

function readEndpoint(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_ENDPOINT_LENGTH || !/^https?:\/\//i.test(value)) {
    fcReporter.once('bad-endpoint', 'context.tracing.jaegerEndpoint is not an http(s) URL: it is ignored');
    return undefined;
  }
  return value;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT_ATTRIBUTE_LENGTH) : undefined;
}

function spanNameOf(settings: InvocationSettings, kind: EntryKind, fcContext: FcContext | undefined): string {
  const functionName =
    settings.spanName ??
    text(fcContext?.function?.name) ??
    text(process.env.FC_FUNCTION_NAME) ??
    'fc.invocation';
  return kind === 'initializer' && settings.spanName === undefined
    ? `${functionName} initializer`
    : functionName;
}

/** FC's credential variables: the same temporary keys as `context.credentials`, also when the context lacks them. */
const CREDENTIAL_VARIABLES = [
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
] as const;

/** The last endpoint seen, with its secrets (the URL and its `adapt_` token): endpoints rarely change. */
let endpointSecrets: { endpoint: string; secrets: string[] } | undefined;

function secretsOfEndpoint(endpoint: string): string[] {
  if (endpointSecrets?.endpoint !== endpoint) {
    const token = /adapt_([^/?#]+)/i.exec(endpoint)?.[1];
    endpointSecrets = {
      endpoint,
      secrets: token !== undefined && token.length >= 4 ? [endpoint, token] : [endpoint],
    };
  }
  return endpointSecrets.secrets;
}

/**
 * Values that must never leave the process: FC's credentials (from the context and from the `ALIBABA_CLOUD_*`
 * variables) and the collector URL and its token. They are made known to the export pipeline
 * (`rememberSecrets`), which masks them, in every encoded form, in every span it exports.
 */
function secretsOf(fcContext: FcContext | undefined, endpoint: string | undefined): string[] {
  const secrets: string[] = [];
  const credentials = fcContext?.credentials;
  const candidates: unknown[] = CREDENTIAL_VARIABLES.map((name) => process.env[name]);
  if (typeof credentials === 'object' && credentials !== null) {
    candidates.push(credentials.accessKeySecret, credentials.securityToken, credentials.accessKeyId);
  }
  for (const value of candidates) {
    if (typeof value === 'string' && value.length >= 8 && !secrets.includes(value)) secrets.push(value);
  }
  if (endpoint !== undefined) secrets.push(...secretsOfEndpoint(endpoint));
  return secrets;
}

function sampledIf(force: boolean, spanContext: SpanContext): SpanContext {
  return force ? { ...spanContext, traceFlags: spanContext.traceFlags | TraceFlags.SAMPLED } : spanContext;
}

class TracedInvocation implements Invocation {
  private readonly span: Span;
  private readonly active: Context;
  private readonly deadline: number | undefined;
  private readonly secrets: string[];
  private statusCode: number | undefined;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly settings: InvocationSettings,
    kind: EntryKind,
    fcContext: FcContext | undefined,
    event: EventDescription | undefined,
    private readonly tracing: InvocationTracing,
    endpoint: string | undefined,
    startedAt: number,
    isColdStart: boolean,
  ) {
    this.secrets = secretsOf(fcContext, endpoint);
    rememberSecrets(this.secrets);
    const timeoutSeconds = fcContext?.function?.timeout;
    this.deadline =
      typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0
        ? startedAt + timeoutSeconds * 1000
        : undefined;

    const rawSpanContext = readTracing(fcContext)?.openTracingSpanContext;
    const fcSpan = parseFcSpanContext(rawSpanContext);
    if (fcSpan === undefined && rawSpanContext !== undefined && rawSpanContext !== '') {
      fcReporter.once(
        'malformed-span-context',
        'context.tracing.openTracingSpanContext is malformed: invocations start a new trace',
      );
    }
    const upstream = settings.upstreamHeaders ? upstreamSpanContext(event?.headers) : undefined;

    // FC's span as parent (policy 'parent'); baggage in every case
    let parent = fcParentContext(fcContext, {
      fcContextPolicy: settings.fcContextPolicy,
      forceSample: settings.forceSample,
      base: ROOT_CONTEXT,
    });
    const links: Link[] = [];
    if (settings.fcContextPolicy === 'link' && fcSpan !== undefined) links.push({ context: fcSpan });
    if (upstream !== undefined) {
      if (settings.fcContextPolicy === 'parent' && fcSpan === undefined) {
        const upstreamParent = withUpstream(parent, event?.headers);
        parent = trace.setSpanContext(upstreamParent, sampledIf(settings.forceSample, upstream));
      } else {
        links.push({ context: upstream });
      }
    }

    const attributes: Attributes = { ...settings.attributes };
    const invocationId = text(fcContext?.requestId);
    if (invocationId !== undefined) attributes[ATTR_FAAS_INVOCATION_ID] = invocationId;
    attributes[ATTR_FAAS_TRIGGER] =
      settings.trigger ?? (kind === 'http' ? 'http' : (event?.trigger ?? 'other'));
    attributes[ATTR_FAAS_COLDSTART] = isColdStart;
    const method = text(event?.method);
    if (method !== undefined) attributes[ATTR_HTTP_REQUEST_METHOD] = method;
    const path = text(event?.path);
    if (path !== undefined) attributes[ATTR_URL_PATH] = path;

    this.span = tracing.tracer.startSpan(
      spanNameOf(settings, kind, fcContext),
      { kind: SpanKind.SERVER, attributes, links, startTime: startedAt },
      parent,
    );
    if (endpoint !== undefined && tracing.route !== undefined) {
      tracing.route(this.span.spanContext().traceId, endpoint);
    }
    this.active = trace.setSpan(parent, this.span);
  }

  run<T>(fn: () => T): T {
    return otelContext.with(this.active, fn);
  }

  setStatusCode(statusCode: unknown): void {
    if (typeof statusCode === 'number' && Number.isInteger(statusCode)) this.statusCode = statusCode;
  }

  finish(outcome: { failed: boolean; error?: unknown; result?: unknown }): Promise<void> {
    if (this.finished === undefined) this.finished = this.endAndFlush(outcome);
    return this.finished;
  }

  private async endAndFlush(outcome: { failed: boolean; error?: unknown; result?: unknown }): Promise<void> {
    let recording = false;
    try {
      recording = this.span.isRecording();
      if (recording) this.record(outcome);
      this.span.end();
    } catch (error) {
      fcReporter.once(
        'end',
        `could not end the invocation span: ${redactText(describeError(error), [], 300)}`,
        { level: 'error' },
      );
    }
    if (!recording) return;
    const timeLeft =
      this.deadline === undefined ? Infinity : this.deadline - Date.now() - this.settings.safetyMarginMs;
    const budget = Math.min(this.settings.flushTimeoutMs, timeLeft);
    const { outcome: flushed, error } = await this.tracing.flush(budget);
    reportFlush(flushed, budget, error, this.secrets);
  }

  safeText(text: string): string {
    return redactText(text, this.secrets, 300);
  }

  private record(outcome: { failed: boolean; error?: unknown; result?: unknown }): void {
    const result = outcome.result;
    if (
      this.statusCode === undefined &&
      typeof result === 'object' &&
      result !== null &&
      !Buffer.isBuffer(result)
    ) {
      this.setStatusCode((result as { statusCode?: unknown }).statusCode);
    }
    if (this.statusCode !== undefined) {
      this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, this.statusCode);
    }
    // Recorded as they are: the export pipeline masks the invocation's secrets in every span it exports.
    if (outcome.failed) {
      const error = outcome.error;
      if (error instanceof Error) {
        this.span.recordException({ name: error.name, message: error.message, stack: error.stack });
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      } else {
        const message = describeError(error);
        this.span.recordException(message);
        this.span.setStatus({ code: SpanStatusCode.ERROR, message });
      }
    } else if (this.statusCode !== undefined && this.statusCode >= 500) {
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
}

/** Whether the last flush ran out of its budget: such flushes are reported once, and their end once more. */
let flushesLate = false;

/**
 * Reports how a flush ended, once per episode: the first flush that runs out of its budget (and the first that
 * delivers within it again after such), the first with no time left at all. Failed exports are reported where
 * they happen (the export pipeline, once per outage), except for a provider of the user's whose `forceFlush()`
 * rejected.
 */
function reportFlush(
  outcome: FlushOutcome,
  budget: number,
  error: unknown,
  secrets: readonly string[],
): void {
  if (outcome === 'timeout') {
    if (flushesLate) return;
    flushesLate = true;
    fcReporter.now(
      'warn',
      `spans were not exported within ${Math.round(budget)} ms (flushTimeoutMs, or the time left in the ` +
        'invocation): results are handed back without waiting longer; reported again once flushes make it',
    );
    return;
  }
  if (flushesLate && outcome === 'flushed') {
    flushesLate = false;
    fcReporter.now('info', 'spans are exported within the flush budget again');
  }
  if (outcome === 'failed' && error !== undefined) {
    fcReporter.once(
      'flush-failed',
      `the tracer provider's forceFlush() failed: ${redactText(describeError(error), secrets, 300)}`,
    );
  } else if (outcome === 'skipped') {
    fcReporter.once('flush-skipped', 'no time left in the invocation to export spans: the flush was skipped');
  }
}
