import { context, TraceFlags, type Context } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createReporter, describeError } from '../diagnostics/reporter';
import { integerSetting, type Env } from '../environment/settings';
import { knownSecretsMask } from '../redaction/knownSecrets';
import { redactText } from '../redaction/redactText';
import { DeliveryLog } from './DeliveryLog';
import { isExportSuccess, type DeliveryResult } from './exportResults';
import { maskSpans } from './maskSpans';
import { settleWithin } from './settleWithin';

/** Default most spans waiting for export (`OTEL_BSP_MAX_QUEUE_SIZE`). */
export const DEFAULT_MAX_QUEUE_SIZE = 2048;
/** Default most spans in one export (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`). */
export const DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;
/** Default delay before spans that do not fill a batch are exported, in ms (`OTEL_BSP_SCHEDULE_DELAY`). */
export const DEFAULT_SCHEDULED_DELAY_MS = 5000;
/** Default longest wait for an exporter to answer one export, in ms (`OTEL_BSP_EXPORT_TIMEOUT`). */
export const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;
/** Default most exports in flight at once while exports succeed. */
export const DEFAULT_MAX_CONCURRENT_EXPORTS = 64;

/** Options of `ExportPipeline`. Each falls back to its `OTEL_BSP_*` variable, then to the default. */
export interface ExportPipelineOptions {
  /**
   * Most spans waiting for export; a span that ends while this many wait is dropped and counted. Spans in
   * flight do not count. Default 2048. Env: `OTEL_BSP_MAX_QUEUE_SIZE` (1 to 1,000,000).
   */
  maxQueueSize?: number;
  /**
   * Most spans in one export. Default 512. Env: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` (1 to the queue size; a larger
   * value is cut to the queue size).
   */
  maxExportBatchSize?: number;
  /**
   * How long spans that do not fill a batch wait before they are exported, in ms. Default 5000.
   * Env: `OTEL_BSP_SCHEDULE_DELAY` (0 to 3,600,000).
   */
  scheduledDelayMillis?: number;
  /**
   * Longest wait for the exporter to answer one export, in ms; after it the export counts as failed (Tracery's
   * own exporters answer within their own `timeoutMs`). Also bounds `forceFlush()` and `shutdown()`.
   * Default 30000. Env: `OTEL_BSP_EXPORT_TIMEOUT` (1 to 3,600,000).
   */
  exportTimeoutMillis?: number;
  /**
   * Most exports in flight at once while exports succeed; after a failed export, one at a time until an export
   * succeeds again. Default 64 (an FC instance may run that many invocations at once, and each one's flush sends
   * its spans at once).
   */
  maxConcurrentExports?: number;
  /** Names the destination in `diag` messages; must hold no secret. Default: the exporter's `description`. */
  description?: string;
  /** Where the `OTEL_BSP_*` variables are read. Default `process.env`. */
  env?: Env;
}

/** How a flush ended. */
export interface FlushResult {
  /** Every span that had ended when the flush was asked for is settled: delivered, or dropped and counted. */
  complete: boolean;
  /** Of the spans the flush waited for, how many the exporter delivered while it waited. */
  delivered: number;
  /** Of the spans the flush waited for, how many were dropped while it waited (failed exports). */
  dropped: number;
}

/** Counts since the pipeline was made. */
export interface ExportStats {
  /** Spans waiting for export now. */
  queued: number;
  /** Spans in exports not answered yet. */
  inFlight: number;
  /** Spans the exporter reported delivered. */
  delivered: number;
  /** Spans dropped, by cause. */
  dropped: {
    /** The queue was full when they ended. */
    queueFull: number;
    /** Their export failed (collector down, refusing, too slow). */
    exportFailed: number;
    /** The exporter left them out of a successful export (too large, unreadable). */
    exporter: number;
    /** They ended after `shutdown()`. */
    afterShutdown: number;
  };
}

/** An export waiting for its answer: the spans from sequence number `start` to `end` (excluded). */
interface Batch {
  start: number;
  end: number;
  /** The guard timer, when the exporter does not promise an answer within the export timeout. */
  timer: NodeJS.Timeout | undefined;
}

/** A caller of `flush` waiting for the spans numbered below `target`. */
interface Waiter {
  target: number;
  delivered: number;
  dropped: number;
  timer: NodeJS.Timeout | undefined;
  resolve(result: FlushResult): void;
}

const reporter = createReporter('@tracery');

type OpenTelemetryCore = typeof import('@opentelemetry/core');
let openTelemetryCore: OpenTelemetryCore | undefined;

/**
 * `ctx` with OpenTelemetry's tracing suppressed. `@opentelemetry/core` is loaded at the first export (the SDK that
 * ended the spans has loaded it by then), not when a package using the pipeline is imported.
 */
function suppressed(ctx: Context): Context {
  return (openTelemetryCore ??= require('@opentelemetry/core') as OpenTelemetryCore).suppressTracing(ctx);
}

/** Set by an exporter that always answers an export within this many ms (Tracery's own exporters do). */
export interface BoundedExporter extends SpanExporter {
  readonly answersWithinMs?: number;
  readonly description?: string;
}

function descriptionOf(exporter: SpanExporter): string {
  const described = (exporter as BoundedExporter).description;
  if (typeof described === 'string' && described !== '') return described;
  const name = (exporter as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'span exporter';
}

function resolveOptions(options: ExportPipelineOptions): Required<Omit<ExportPipelineOptions, 'env'>> {
  const env = options.env ?? process.env;
  const maxQueueSize = integerSetting(
    reporter,
    {
      option: 'maxQueueSize',
      variable: 'OTEL_BSP_MAX_QUEUE_SIZE',
      min: 1,
      max: 1_000_000,
      fallback: DEFAULT_MAX_QUEUE_SIZE,
    },
    options.maxQueueSize,
    env,
  );
  const batchSize = integerSetting(
    reporter,
    {
      option: 'maxExportBatchSize',
      variable: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      min: 1,
      max: 1_000_000,
      fallback: DEFAULT_MAX_EXPORT_BATCH_SIZE,
    },
    options.maxExportBatchSize,
    env,
  );
  return {
    maxQueueSize,
    maxExportBatchSize: Math.min(batchSize, maxQueueSize),
    scheduledDelayMillis: integerSetting(
      reporter,
      {
        option: 'scheduledDelayMillis',
        variable: 'OTEL_BSP_SCHEDULE_DELAY',
        min: 0,
        max: 3_600_000,
        fallback: DEFAULT_SCHEDULED_DELAY_MS,
        unit: 'ms',
      },
      options.scheduledDelayMillis,
      env,
    ),
    exportTimeoutMillis: integerSetting(
      reporter,
      {
        option: 'exportTimeoutMillis',
        variable: 'OTEL_BSP_EXPORT_TIMEOUT',
        min: 1,
        max: 3_600_000,
        fallback: DEFAULT_EXPORT_TIMEOUT_MS,
        unit: 'ms',
      },
      options.exportTimeoutMillis,
      env,
    ),
    maxConcurrentExports: integerSetting(
      reporter,
      { option: 'maxConcurrentExports', min: 1, max: 1024, fallback: DEFAULT_MAX_CONCURRENT_EXPORTS },
      options.maxConcurrentExports,
      env,
    ),
    description: options.description ?? '',
  };
}

/**
 * The span processor every Tracery export goes through, in place of OpenTelemetry's `BatchSpanProcessor`. It owns
 * the delivery guarantees, whatever the exporter:
 *
 * - **No loss while the collector keeps up.** Ended (sampled) spans wait in a queue of at most `maxQueueSize`;
 *   full batches leave at once, the rest after `scheduledDelayMillis`. A batch waits for a free export slot
 *   instead of being dropped; only a span that ends while the queue is full is dropped (and counted).
 * - **Flushes wait for what they cover.** `flush()`/`forceFlush()` resolve once every span that had ended when
 *   they were called is settled, exports already in flight included (a flush joins them; it does not wait for
 *   them before sending the rest). Concurrent flushes share exports.
 * - **Bounded.** At most `maxQueueSize` spans wait and at most `maxConcurrentExports` exports (of at most
 *   `maxExportBatchSize` spans) are in flight; after a failed export only one is, until one succeeds. An exporter
 *   that does not answer within `exportTimeoutMillis` is counted as failed.
 * - **Never hurts the app.** Nothing here throws or rejects; exports run with tracing suppressed; faults are
 *   reported through `diag` once per outage and once on recovery, with the number of spans dropped.
 * - **Leaks no known secret.** Every span is exported with the process's known secrets (`rememberSecrets`: FC's
 *   credentials and collector token) masked in every encoded form, in every field; nothing is done while none is
 *   known.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new ExportPipeline(exporterFromEnv())] });
 */
export class ExportPipeline implements SpanProcessor {
  /** The exporter the spans go to. */
  readonly exporter: SpanExporter;
  private readonly maxQueueSize: number;
  private readonly maxExportBatchSize: number;
  private readonly scheduledDelayMillis: number;
  /** Longest wait for one export's answer, and the default bound of `flush()` and `shutdown()`, in ms. */
  readonly exportTimeoutMillis: number;
  private readonly maxConcurrentExports: number;
  private readonly guardExports: boolean;
  private readonly log: DeliveryLog;
  private readonly description: string;

  private queue: ReadableSpan[] = [];
  /** Sequence number of `queue[0]`; every queued span gets the next number. */
  private queueStart = 0;
  /** Exports waiting for their answer, oldest first. */
  private readonly inFlight: Batch[] = [];
  private inFlightSpans = 0;
  /** Exports counted as failed after the timeout whose exporter has not answered yet. */
  private abandoned = 0;
  private readonly waiters: Waiter[] = [];
  private failing = false;
  /** Set when the scheduled delay has passed: queued spans leave without waiting for a full batch. */
  private due = false;
  /** The scheduled delay's timer while it is armed. */
  private timer: NodeJS.Timeout | undefined;
  /** The one timer object of the scheduled delay, re-armed for each batch rather than made again. */
  private delayTimer: NodeJS.Timeout | undefined;
  private isShutdown = false;
  private pumping = false;
  private pumpAgain = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly counts = { delivered: 0, queueFull: 0, exportFailed: 0, exporter: 0, afterShutdown: 0 };

  constructor(exporter: SpanExporter, options: ExportPipelineOptions = {}) {
    this.exporter = exporter;
    const resolved = resolveOptions(options);
    this.maxQueueSize = resolved.maxQueueSize;
    this.maxExportBatchSize = resolved.maxExportBatchSize;
    this.scheduledDelayMillis = resolved.scheduledDelayMillis;
    this.exportTimeoutMillis = resolved.exportTimeoutMillis;
    this.maxConcurrentExports = resolved.maxConcurrentExports;
    const answersWithin = (exporter as BoundedExporter).answersWithinMs;
    this.guardExports = !(typeof answersWithin === 'number' && answersWithin <= this.exportTimeoutMillis);
    this.description = resolved.description || descriptionOf(exporter);
    this.log = new DeliveryLog(reporter, this.description, this.maxQueueSize);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.isShutdown) {
      this.counts.afterShutdown++;
      return;
    }
    if (this.queue.length >= this.maxQueueSize) {
      this.counts.queueFull++;
      this.log.queueFull();
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxExportBatchSize) this.pump();
    else if (this.timer === undefined && !this.due) this.startTimer();
  }

  /**
   * Exports every span that has ended, and resolves once each is settled (delivered or dropped), exports in flight
   * included, or after `timeoutMs` with `complete: false`. Default: twice `exportTimeoutMillis`, room for an export
   * in flight and one after it. Never rejects.
   */
  flush(timeoutMs: number = 2 * this.exportTimeoutMillis): Promise<FlushResult> {
    const target = this.queueStart + this.queue.length;
    if (this.settledBelow() >= target) return Promise.resolve({ complete: true, delivered: 0, dropped: 0 });
    return new Promise<FlushResult>((resolve) => {
      const waiter: Waiter = { target, delivered: 0, dropped: 0, timer: undefined, resolve };
      this.waiters.push(waiter);
      if (Number.isFinite(timeoutMs)) {
        waiter.timer = setTimeout(() => this.release(waiter, false), Math.max(0, timeoutMs));
        waiter.timer.unref?.();
      }
      this.pump();
    });
  }

  /** `flush()` for OpenTelemetry's `SpanProcessor` interface: resolves (never rejects) when it is over. */
  forceFlush(): Promise<void> {
    return this.flush().then(() => undefined);
  }

  /**
   * Flushes (bounded as `flush()` is), then shuts the exporter down (bounded by `exportTimeoutMillis`). Spans
   * ending later are counted as dropped. Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    if (this.shutdownPromise === undefined) {
      this.isShutdown = true;
      this.shutdownPromise = this.flush().then(async (result) => {
        this.clearTimer();
        this.disposeTimer();
        if (!result.complete) {
          reporter.now(
            'warn',
            `${this.description}: shut down with ${this.queue.length + this.inFlightSpans} span(s) not delivered ` +
              `within ${2 * this.exportTimeoutMillis} ms`,
          );
        }
        await this.shutdownExporter();
      });
    }
    return this.shutdownPromise;
  }

  /** What the pipeline holds now and has done so far. */
  get stats(): ExportStats {
    const { delivered, queueFull, exportFailed, exporter, afterShutdown } = this.counts;
    return {
      queued: this.queue.length,
      inFlight: this.inFlightSpans,
      delivered,
      dropped: { queueFull, exportFailed, exporter, afterShutdown },
    };
  }

  /** Every span numbered below this is settled. */
  private settledBelow(): number {
    return this.inFlight.length > 0 ? this.inFlight[0].start : this.queueStart;
  }

  /**
   * Starts exports while there are spans to send, a reason to send them now, and a free slot. An exporter that
   * answers at once (in `export()` itself) settles its batch inside this loop: that settlement's own call to `pump`
   * only asks for another round, so the work runs in one loop and the stack stays flat however many batches.
   */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.startExports();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private startExports(): void {
    while (this.queue.length > 0 && this.hasFreeSlot()) {
      const urgent = this.due || this.isShutdown || this.flushWanted();
      if (!urgent && this.queue.length < this.maxExportBatchSize) break;
      const count = Math.min(this.queue.length, this.maxExportBatchSize);
      const spans = count === this.queue.length ? this.queue : this.queue.slice(0, count);
      this.queue = count === this.queue.length ? [] : this.queue.slice(count);
      const start = this.queueStart;
      this.queueStart += count;
      this.startExport(spans, start);
    }
    if (this.queue.length === 0) {
      this.due = false;
      this.clearTimer();
    } else if (this.timer === undefined && !this.due) {
      this.startTimer();
    }
  }

  /**
   * While exports succeed, up to `maxConcurrentExports` run at once; while they fail, one probes the collector.
   * Exports abandoned at the timeout whose exporter never answered keep holding memory in it: at most
   * `maxConcurrentExports` of those, after which nothing more is handed to that exporter.
   */
  private hasFreeSlot(): boolean {
    const limit = this.failing ? 1 : this.maxConcurrentExports;
    return this.inFlight.length < limit && this.abandoned < this.maxConcurrentExports;
  }

  /** Whether a flush is waiting for queued spans (targets grow with each call: the last one is the largest). */
  private flushWanted(): boolean {
    const last = this.waiters[this.waiters.length - 1];
    return last !== undefined && last.target > this.queueStart;
  }

  /**
   * Arms the scheduled delay. Invocation after invocation a batch is flushed before its delay is up: the timer is
   * then only disarmed (`clearTimer`), and the same timer object is re-armed (`refresh`) for the next batch, so a
   * flush costs no timer of its own here.
   */
  private startTimer(): void {
    if (this.delayTimer !== undefined && typeof this.delayTimer.refresh === 'function') {
      this.delayTimer.refresh();
    } else {
      this.delayTimer = setTimeout(() => this.onDelay(), this.scheduledDelayMillis);
      this.delayTimer.unref?.();
    }
    this.timer = this.delayTimer;
  }

  private onDelay(): void {
    // Disarmed since it was set: nothing is due (a timer disarmed, not cleared, fires once idle).
    if (this.timer === undefined) return;
    this.timer = undefined;
    this.due = true;
    this.pump();
  }

  private clearTimer(): void {
    this.timer = undefined;
  }

  private disposeTimer(): void {
    if (this.delayTimer !== undefined) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
  }

  private startExport(spans: ReadableSpan[], start: number): void {
    const batch: Batch = { start, end: start + spans.length, timer: undefined };
    this.inFlight.push(batch);
    this.inFlightSpans += spans.length;
    let answered = false;
    let timedOut = false;
    const onResult = (result: ExportResult): void => {
      if (answered) return;
      answered = true;
      if (timedOut) {
        this.abandoned--;
        this.pump();
        return;
      }
      if (batch.timer !== undefined) clearTimeout(batch.timer);
      this.settle(batch, result);
    };
    if (this.guardExports) {
      batch.timer = setTimeout(() => {
        if (answered) return;
        timedOut = true;
        this.abandoned++;
        this.settle(batch, {
          code: 1,
          error: new Error(`the exporter did not answer within ${this.exportTimeoutMillis} ms`),
        });
      }, this.exportTimeoutMillis);
      batch.timer.unref?.();
    }
    const send = (): void => {
      try {
        // Known secrets (FC's credentials, the collector token) never leave the process, whatever span holds them.
        const mask = knownSecretsMask();
        const outgoing = mask === undefined ? spans : maskSpans(spans, mask);
        context.with(suppressed(context.active()), () => this.exporter.export(outgoing, onResult));
      } catch (error) {
        onResult({ code: 1, error: error instanceof Error ? error : new Error(describeError(error)) });
      }
    };
    const pending = pendingResources(spans);
    if (pending === undefined) send();
    else void Promise.all(pending).then(send, send);
  }

  private settle(batch: Batch, result: ExportResult): void {
    const index = this.inFlight.indexOf(batch);
    if (index < 0) return;
    this.inFlight.splice(index, 1);
    const count = batch.end - batch.start;
    this.inFlightSpans -= count;
    let delivered = 0;
    if (isExportSuccess(result)) {
      const left = (result as DeliveryResult).droppedSpans;
      const droppedByExporter = typeof left === 'number' && left > 0 ? Math.min(left, count) : 0;
      delivered = count - droppedByExporter;
      this.counts.delivered += delivered;
      if (droppedByExporter > 0) {
        this.counts.exporter += droppedByExporter;
        this.log.exporterDropped(
          droppedByExporter,
          (result as DeliveryResult).droppedReason ?? 'left out by the exporter',
        );
      }
      this.failing = false;
      this.log.exportSucceeded(this.queue.length);
    } else {
      this.counts.exportFailed += count;
      this.failing = true;
      this.log.exportFailed(count, this.reasonOf(result));
    }
    this.account(batch, delivered, count - delivered);
    this.pump();
  }

  /** Credits the batch's outcome to the flushes waiting for it, and releases those now fully settled. */
  private account(batch: Batch, delivered: number, dropped: number): void {
    if (this.waiters.length === 0) return;
    const count = batch.end - batch.start;
    const settledBelow = this.settledBelow();
    for (let i = 0; i < this.waiters.length;) {
      const waiter = this.waiters[i];
      if (waiter.target > batch.start) {
        const covered = Math.min(batch.end, waiter.target) - batch.start;
        const share = covered === count ? 1 : covered / count;
        waiter.delivered += Math.round(delivered * share);
        waiter.dropped += Math.round(dropped * share);
      }
      if (waiter.target <= settledBelow) this.release(waiter, true);
      else i++;
    }
  }

  private release(waiter: Waiter, complete: boolean): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.resolve({ complete, delivered: waiter.delivered, dropped: waiter.dropped });
  }

  private reasonOf(result: ExportResult): string {
    let message = result.error?.message;
    if (typeof message !== 'string' || message === '') return 'export failed';
    // Tracery's exporters name themselves in their errors; the pipeline's message already does.
    if (message.startsWith(`${this.description}: `)) message = message.slice(this.description.length + 2);
    return redactText(message, [], 300);
  }

  private async shutdownExporter(): Promise<void> {
    const settled = await settleWithin(() => this.exporter.shutdown(), this.exportTimeoutMillis);
    if (settled.outcome === 'timeout') {
      reporter.now(
        'warn',
        `${this.description}: the exporter did not shut down within ${this.exportTimeoutMillis} ms`,
      );
    } else if (settled.outcome === 'failed') {
      reporter.now(
        'warn',
        `${this.description}: the exporter failed to shut down: ${redactText(describeError(settled.error), [], 300)}`,
      );
    }
  }
}

/** Resources still detecting attributes asynchronously, which the exporter would read: waited for first. */
function pendingResources(spans: readonly ReadableSpan[]): Promise<unknown>[] | undefined {
  let pending: Promise<unknown>[] | undefined;
  for (const span of spans) {
    const resource = span.resource as
      { asyncAttributesPending?: boolean; waitForAsyncAttributes?: () => Promise<void> } | undefined;
    if (resource?.asyncAttributesPending && typeof resource.waitForAsyncAttributes === 'function') {
      (pending ??= []).push(resource.waitForAsyncAttributes());
    }
  }
  return pending;
}
