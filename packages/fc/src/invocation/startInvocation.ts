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
import { readTracing, withFcParent } from '../propagation/fcParentContext';
import { parseFcSpanContext } from '../propagation/parseFcSpanContext';
import { upstreamOf } from '../propagation/upstreamSpanContext';
import { resolveTracing, type InvocationTracing } from '../provider/invocationTracing';
import type { FcContext, FcTracing } from '../types';
import type { FlushOutcome } from './flushWithinBudget';
import { MIN_CREDENTIAL_LENGTH, type InvocationSettings } from './settings';

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
    const tracing = resolveTracing(settings.tracingSource, fcContext, endpoint);
    if (tracing === undefined) {
      fcReporter.once(
        'tracing-off',
        'context.tracing.jaegerEndpoint is absent (tracing is off for this function) and no tracer provider is ' +
          'registered: invocations run untraced and nothing is exported',
        { level: 'info' },
      );
      return undefined;
    }
    return new TracedInvocation(
      settings,
      kind,
      fcContext,
      tracingField,
      event,
      tracing,
      endpoint,
      startedAt,
      isColdStart,
    );
  } catch (error) {
    fcReporter.once(
      'start',
      `could not start the invocation span: ${redactText(describeError(error), [], 300)}`,
      { level: 'error' },
    );
    return undefined;
  }
}

/** The last endpoint accepted: FC hands the same one call after call, so it is checked once. */
let acceptedEndpoint: string | undefined;

function readEndpoint(value: unknown): string | undefined {
  if (value === acceptedEndpoint && acceptedEndpoint !== undefined) return acceptedEndpoint;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_ENDPOINT_LENGTH || !/^https?:\/\//i.test(value)) {
    fcReporter.once('bad-endpoint', 'context.tracing.jaegerEndpoint is not an http(s) URL: it is ignored');
    return undefined;
  }
  acceptedEndpoint = value;
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

/** The secrets of the last invocation and what they were made of: calls of an instance share them. */
let lastSecrets:
  | {
      environment: readonly string[];
      credentials: readonly unknown[];
      endpoint: string | undefined;
      secrets: readonly string[];
    }
  | undefined;

/**
 * Values that must never leave the process: FC's credentials (from the context and from the `ALIBABA_CLOUD_*`
 * variables, read when the handler was wrapped) and the collector URL and its token. They are made known to the
 * export pipeline (`rememberSecrets`), which masks them, in every encoded form, in every span it exports. The
 * list is made again only when one of them changed since the last call.
 */
function secretsOf(
  settings: InvocationSettings,
  fcContext: FcContext | undefined,
  endpoint: string | undefined,
): readonly string[] {
  const credentials = fcContext?.credentials;
  const given: unknown[] =
    typeof credentials === 'object' && credentials !== null
      ? [credentials.accessKeySecret, credentials.securityToken, credentials.accessKeyId]
      : [];
  const last = lastSecrets;
  if (
    last !== undefined &&
    last.environment === settings.environmentSecrets &&
    last.endpoint === endpoint &&
    last.credentials.length === given.length &&
    last.credentials.every((value, i) => value === given[i])
  ) {
    return last.secrets;
  }
  const secrets = [...settings.environmentSecrets];
  for (const value of given) {
    if (typeof value === 'string' && value.length >= MIN_CREDENTIAL_LENGTH && !secrets.includes(value)) {
      secrets.push(value);
    }
  }
  if (endpoint !== undefined) {
    secrets.push(endpoint);
    const token = /adapt_([^/?#]+)/i.exec(endpoint)?.[1];
    if (token !== undefined && token.length >= 4) secrets.push(token);
  }
  // Frozen: rememberSecrets skips a frozen list it was given last, so calls of an instance cost it nothing.
  Object.freeze(secrets);
  lastSecrets = { environment: settings.environmentSecrets, credentials: given, endpoint, secrets };
  return secrets;
}

function sampledIf(force: boolean, spanContext: SpanContext): SpanContext {
  return force ? { ...spanContext, traceFlags: spanContext.traceFlags | TraceFlags.SAMPLED } : spanContext;
}

class TracedInvocation implements Invocation {
  private readonly span: Span;
  private readonly active: Context;
  private readonly deadline: number | undefined;
  private readonly secrets: readonly string[];
  private statusCode: number | undefined;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly settings: InvocationSettings,
    kind: EntryKind,
    fcContext: FcContext | undefined,
    tracingField: FcTracing | undefined,
    event: EventDescription | undefined,
    private readonly tracing: InvocationTracing,
    endpoint: string | undefined,
    startedAt: number,
    isColdStart: boolean,
  ) {
    this.secrets = secretsOf(settings, fcContext, endpoint);
    rememberSecrets(this.secrets);
    const timeoutSeconds = fcContext?.function?.timeout;
    this.deadline =
      typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0
        ? startedAt + timeoutSeconds * 1000
        : undefined;

    // FC's span context, parsed once: the parent (policy 'parent') or a link ('link'); baggage in every case.
    const rawSpanContext = tracingField?.openTracingSpanContext;
    const fcSpan = parseFcSpanContext(rawSpanContext);
    if (fcSpan === undefined && rawSpanContext !== undefined && rawSpanContext !== '') {
      fcReporter.once(
        'malformed-span-context',
        'context.tracing.openTracingSpanContext is malformed: invocations start a new trace',
      );
    }
    const policy = settings.fcContextPolicy;
    let parent = withFcParent(
      ROOT_CONTEXT,
      tracingField,
      policy === 'parent' ? fcSpan : undefined,
      settings.forceSample,
    );
    let links: Link[] | undefined;
    if (policy === 'link' && fcSpan !== undefined) links = [{ context: fcSpan }];
    // The caller of an HTTP request, read once from its headers: the parent when FC gave none, else a link.
    const headers = settings.upstreamHeaders ? event?.headers : undefined;
    if (headers !== undefined) {
      const upstreamIsParent = policy === 'parent' && fcSpan === undefined;
      const upstream = upstreamOf(headers, upstreamIsParent ? parent : ROOT_CONTEXT);
      if (upstream !== undefined && upstreamIsParent) {
        parent = settings.forceSample
          ? trace.setSpanContext(upstream.context, sampledIf(true, upstream.spanContext))
          : upstream.context;
      } else if (upstream !== undefined) {
        (links ??= []).push({ context: upstream.spanContext });
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
