import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { HttpSender, SendFailure, type HttpAnswer } from '@tracery/commons';
import {
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { describeError, reportOnce } from '../diagnostics/reportOnce';
import { PerOperationSampler } from './PerOperationSampler';
import { RateLimitingSampler } from './RateLimitingSampler';
import { SignalAwareSampler } from './SignalAwareSampler';
import { withSamplerTags } from './samplerTags';
import { parseSamplingStrategy, type SamplingStrategy } from './samplingStrategy';

/** A Jaeger agent's sampling endpoint (`?service=<name>` is appended). */
export const DEFAULT_SAMPLING_ENDPOINT = 'http://localhost:5778/sampling';
/** How often strategies are fetched, as Jaeger clients do. */
export const DEFAULT_SAMPLING_REFRESH_INTERVAL_MS = 60_000;
/** The sampling ratio used until the first strategy arrives, as Jaeger clients use. */
export const DEFAULT_INITIAL_SAMPLING_RATE = 0.001;
/** Most operations given their own sampler by a per-operation strategy, as Jaeger clients allow. */
export const DEFAULT_MAX_OPERATIONS = 2000;
/** Longest wait for one strategy fetch (shorter when the refresh interval is shorter). */
const MAX_FETCH_TIME_MS = 10_000;
/** Largest strategy response read; a per-operation strategy for 2000 operations is about 200 kB. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Numbers the samplers of this process, so each reports its own faults once. */
let samplersCreated = 0;

/** Options of `JaegerRemoteSampler`. */
export interface JaegerRemoteSamplerOptions {
  /** The service whose strategy is asked for (`?service=`). */
  serviceName: string;
  /** URL of the sampling endpoint, without the query. Default `http://localhost:5778/sampling`. */
  endpoint?: string;
  /** Decides new traces until a strategy arrives. Default: probabilistic, 0.001 (tagged as Jaeger does). */
  initialSampler?: Sampler;
  /**
   * Milliseconds between fetches, the first one made at once. `0` fetches only when `refresh()` is called.
   * Default 60000.
   */
  refreshIntervalMs?: number;
  /** Most operations a per-operation strategy tracks one by one. Default 2000. */
  maxOperations?: number;
}

/**
 * Jaeger's remote sampling: new traces are decided by the strategy that a Jaeger agent (or collector)
 * serves for this service at `<endpoint>?service=<name>`: probabilistic, rate-limiting, or per operation
 * (span name) with a lower bound per operation. The strategy is fetched at once and then every
 * `refreshIntervalMs`; until one arrives, `initialSampler` decides, and when a fetch fails or the answer is
 * not understood the last good strategy stays in use. Faults are reported once through `diag`; nothing
 * throws. Spans with a parent follow the parent's sampled flag, as Jaeger clients do, and the caller's sampling
 * signals are honoured as by every sampler of `createSampler` (debug, deferred, B3 state alone). Sampled new traces
 * carry `sampler.type` / `sampler.param`. The polling timer never keeps the process alive; `shutdown()`
 * stops it (a provider built by `createTracerProvider` does so when it shuts down).
 *
 * @example
 * const sampler = new JaegerRemoteSampler({ serviceName: 'orders', endpoint: 'http://jaeger-agent:5778/sampling' });
 * await sampler.refresh(); // optional: wait for the first strategy
 */
export class JaegerRemoteSampler implements Sampler {
  private readonly url: URL;
  private readonly endpoint: string;
  private readonly reportKey = `remote-sampler#${++samplersCreated}`;
  private readonly maxOperations: number;
  private readonly fetchTimeMs: number;
  private sampler: Sampler;
  private strategyKey = 'initial';
  private perOperation: PerOperationSampler | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sender: HttpSender | undefined;
  private stopped = false;

  constructor(options: JaegerRemoteSamplerOptions) {
    const endpoint = new URL(options.endpoint ?? DEFAULT_SAMPLING_ENDPOINT);
    endpoint.username = '';
    endpoint.password = '';
    endpoint.search = '';
    this.endpoint = endpoint.toString();
    endpoint.searchParams.set('service', options.serviceName);
    this.url = endpoint;
    this.maxOperations = options.maxOperations ?? DEFAULT_MAX_OPERATIONS;
    const initial =
      options.initialSampler ??
      withSamplerTags(
        new TraceIdRatioBasedSampler(DEFAULT_INITIAL_SAMPLING_RATE),
        'probabilistic',
        DEFAULT_INITIAL_SAMPLING_RATE,
      );
    this.sampler = followingParents(initial);
    const interval = options.refreshIntervalMs ?? DEFAULT_SAMPLING_REFRESH_INTERVAL_MS;
    this.fetchTimeMs = interval > 0 ? Math.min(MAX_FETCH_TIME_MS, interval) : MAX_FETCH_TIME_MS;
    if (interval > 0) {
      this.timer = setInterval(() => void this.refresh(), interval);
      this.timer.unref();
      void this.refresh();
    }
  }

  shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
    return this.sampler.shouldSample(...args);
  }

  /**
   * Fetches the strategy now and applies it; resolves when done, whatever the outcome (never rejects).
   * While a fetch is under way, returns that fetch's promise instead of starting another.
   */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.fetchStrategy()
      .then(
        (body) => this.apply(body),
        (error: unknown) => this.fetchFailed(error),
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Stops polling; the current strategy stays in use. */
  shutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sender?.close();
  }

  toString(): string {
    return `JaegerRemoteSampler{endpoint=${this.endpoint}, strategy=${this.strategyKey}}`;
  }

  private apply(body: string): void {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      this.notUnderstood('the response is not JSON');
      return;
    }
    const parsed = parseSamplingStrategy(json, this.maxOperations);
    if ('error' in parsed) {
      this.notUnderstood(parsed.error);
      return;
    }
    this.use(parsed.value);
  }

  private use(strategy: SamplingStrategy): void {
    if (strategy.kind === 'perOperation') {
      if (strategy.operationsLeftOut > 0) {
        reportOnce(
          `${this.reportKey}:operations`,
          `the sampling strategy from ${this.endpoint} lists more than ${this.maxOperations} operations; ` +
            'the others are sampled at the default rate',
        );
      }
      if (this.perOperation === undefined) {
        this.perOperation = new PerOperationSampler(strategy, this.maxOperations);
        this.sampler = followingParents(this.perOperation);
      } else {
        this.perOperation.update(strategy);
      }
      this.strategyKey = `perOperation(${strategy.operations.size} operations)`;
      return;
    }
    const key =
      strategy.kind === 'probabilistic'
        ? `probabilistic(${strategy.samplingRate})`
        : `ratelimiting(${strategy.maxTracesPerSecond})`;
    if (key === this.strategyKey) return; // unchanged: keep the rate limiter's credit
    const root =
      strategy.kind === 'probabilistic'
        ? withSamplerTags(
            new TraceIdRatioBasedSampler(strategy.samplingRate),
            'probabilistic',
            strategy.samplingRate,
          )
        : withSamplerTags(
            new RateLimitingSampler(strategy.maxTracesPerSecond),
            'ratelimiting',
            strategy.maxTracesPerSecond,
          );
    this.perOperation = undefined;
    this.sampler = followingParents(root);
    this.strategyKey = key;
  }

  private fallback(): string {
    return this.strategyKey === 'initial'
      ? 'new traces are decided by the initial sampler until a strategy arrives'
      : `the last strategy (${this.strategyKey}) stays in use`;
  }

  private fetchFailed(error: unknown): void {
    if (this.stopped) return; // shut down meanwhile: its connection was closed on purpose
    reportOnce(
      `${this.reportKey}:unreachable`,
      `sampling strategies could not be fetched from ${this.endpoint} (${describeError(error)}); ${this.fallback()}`,
    );
  }

  private notUnderstood(reason: string): void {
    reportOnce(
      `${this.reportKey}:malformed`,
      `the sampling strategy from ${this.endpoint} was not understood (${reason}); ${this.fallback()}`,
    );
  }

  /**
   * GETs the strategy with tracing suppressed (an HTTP instrumentation must not trace the sampler), through the
   * bounded exchange every package uses (`HttpSender`, made at the first fetch: `http` is loaded then, `https` and
   * TLS only for an https endpoint). Rejects with the reason to report.
   */
  private async fetchStrategy(): Promise<string> {
    const sender = (this.sender ??= new HttpSender({
      url: this.url.toString(),
      headers: { accept: 'application/json' },
      secrets: [],
      maxResponseBytes: MAX_RESPONSE_BYTES,
    }));
    let answer: HttpAnswer;
    try {
      answer = await context.with(suppressTracing(ROOT_CONTEXT), () =>
        sender.get(Date.now() + this.fetchTimeMs),
      );
    } catch (error) {
      if (!(error instanceof SendFailure)) throw error;
      if (error.kind === 'timeout') throw new Error(`no response within ${this.fetchTimeMs} ms`);
      throw new Error(error.status === undefined ? error.reason : `HTTP status ${error.status}`);
    }
    if (answer.body !== undefined) return new TextDecoder().decode(answer.body);
    if (answer.cut === 'size') throw new Error(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    if (answer.cut === 'deadline') throw new Error(`no response within ${this.fetchTimeMs} ms`);
    throw new Error('the connection closed before the response ended');
  }
}

/** `root` for new traces, the parent's flag otherwise, the caller's sampling signals honoured. */
function followingParents(root: Sampler): Sampler {
  return new SignalAwareSampler(new ParentBasedSampler({ root }), root);
}
