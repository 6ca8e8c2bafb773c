import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { EXPORT_SUCCESS, exportFailed, isExportSuccess } from '../export/exportResults';

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Sends every batch to several exporters at once (e.g. Jaeger and OTLP side by side during a migration).
 * One exporter failing or throwing does not stop the others; the batch's result is FAILED if any failed.
 * `forceFlush` and `shutdown` reach every exporter, and reject (after all have finished) if any rejected.
 */
export class FanOutSpanExporter implements SpanExporter {
  readonly exporters: readonly SpanExporter[];

  constructor(exporters: readonly SpanExporter[]) {
    this.exporters = exporters.slice();
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let pending = this.exporters.length;
    let firstFailure: ExportResult | undefined;
    if (pending === 0) {
      resultCallback(EXPORT_SUCCESS);
      return;
    }
    for (const exporter of this.exporters) {
      let answered = false;
      const done = (result: ExportResult): void => {
        if (answered) return;
        answered = true;
        if (!isExportSuccess(result) && firstFailure === undefined) firstFailure = result;
        if (--pending === 0) resultCallback(firstFailure ?? EXPORT_SUCCESS);
      };
      try {
        exporter.export(spans, done);
      } catch (err) {
        done(exportFailed(asError(err)));
      }
    }
  }

  forceFlush(): Promise<void> {
    return this.all((exporter) => exporter.forceFlush?.());
  }

  shutdown(): Promise<void> {
    return this.all((exporter) => exporter.shutdown());
  }

  private async all(action: (exporter: SpanExporter) => Promise<void> | undefined): Promise<void> {
    const outcomes = await Promise.allSettled(
      this.exporters.map((exporter) => {
        try {
          return Promise.resolve(action(exporter));
        } catch (err) {
          return Promise.reject(asError(err));
        }
      }),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw asError(failure.reason);
  }
}
