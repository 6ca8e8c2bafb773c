import { diag } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { redactText } from '../redaction/redactText';
import { exportFailed, isExportSuccess } from './exportResults';

/** Options of `GuardedSpanExporter`. */
export interface GuardOptions {
  /** What the exporter is and where it sends, already redacted (`otlp http/protobuf to http://host/adapt_***`). */
  description: string;
  /** Deadline of one export, and of `forceFlush`/`shutdown`, in milliseconds. */
  timeoutMs: number;
  /** Secret values (tokens, passwords, header values) to cut out of any error message passed on. */
  secrets: readonly string[];
  /** Most exports the inner exporter may have unanswered at once; beyond it an export fails at once. Default 4. */
  maxInFlight?: number;
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Wraps a network exporter from OpenTelemetry so that, whatever the collector does:
 * every export answers within `timeoutMs` (a late answer from the inner exporter is ignored), nothing
 * throws, at most `maxInFlight` exports are pending (so a hanging collector cannot pile up batches), error
 * messages carry no secret, and an outage is reported once through `diag` (again only after a success).
 */
export class GuardedSpanExporter implements SpanExporter {
  private readonly maxInFlight: number;
  private inFlight = 0;
  private failing = false;

  constructor(
    readonly inner: SpanExporter,
    private readonly options: GuardOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.inFlight >= this.maxInFlight) {
      this.finish(
        exportFailed(new Error(`${this.maxInFlight} exports already waiting for the collector`)),
        resultCallback,
      );
      return;
    }
    // A slot is held until the inner exporter itself answers, not just until our deadline: an exporter that
    // cannot abort its request (Zipkin's) keeps a hanging socket and its payload, so those are capped too.
    this.inFlight++;
    let answered = false;
    let settled = false;
    const answer = (result: ExportResult): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      this.finish(result, resultCallback);
    };
    const settle = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      answer(result);
    };
    const timer = setTimeout(
      () => answer(exportFailed(new Error(`no answer within ${this.options.timeoutMs} ms`))),
      this.options.timeoutMs,
    );
    timer.unref?.();
    try {
      this.inner.export(spans, settle);
    } catch (err) {
      settle(exportFailed(asError(err)));
    }
  }

  forceFlush(): Promise<void> {
    return this.bounded(() => this.inner.forceFlush?.());
  }

  shutdown(): Promise<void> {
    return this.bounded(() => this.inner.shutdown());
  }

  private finish(result: ExportResult, resultCallback: (result: ExportResult) => void): void {
    if (isExportSuccess(result)) {
      if (this.failing) {
        this.failing = false;
        diag.info(`@tracery/exporters: ${this.options.description}: exports succeed again`);
      }
      resultCallback(result);
      return;
    }
    const message = redactText(result.error?.message ?? 'export failed', this.options.secrets);
    const error = new Error(`${this.options.description}: ${message}`);
    if (!this.failing) {
      this.failing = true;
      diag.warn(
        `@tracery/exporters: ${this.options.description}: export failed (${message}); ` +
          'spans are dropped until the collector answers, further failures are not reported',
      );
    }
    resultCallback({ code: result.code, error });
  }

  private bounded(action: () => Promise<void> | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.options.timeoutMs);
      timer.unref?.();
      let pending: Promise<void>;
      try {
        pending = Promise.resolve(action());
      } catch (err) {
        pending = Promise.reject(asError(err));
      }
      pending.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(
            new Error(
              `${this.options.description}: ${redactText(asError(err).message, this.options.secrets)}`,
            ),
          );
        },
      );
    });
  }
}
