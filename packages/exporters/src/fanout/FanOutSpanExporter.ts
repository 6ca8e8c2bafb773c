import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  asError,
  DESTINATIONS,
  EXPORT_SUCCESS,
  exportFailed,
  isExportSuccess,
  type MultiDestinationExporter,
} from '@tracery/commons';

/**
 * Sends every batch to several exporters at once (e.g. Jaeger and OTLP side by side during a migration).
 * One exporter failing or throwing does not stop the others; the batch's result is FAILED if any failed.
 * `forceFlush` and `shutdown` reach every exporter and never reject.
 *
 * Given to `TracerService` / `tracingModule` / `createTracerProvider`, it is taken apart: each destination gets
 * an export pipeline of its own (its own queue, pace and outage reports), so one that is down or slow does not
 * hold the others back. It exports as a whole only when handed to a span processor of your own.
 */
export class FanOutSpanExporter implements MultiDestinationExporter {
  readonly exporters: readonly SpanExporter[];

  constructor(exporters: readonly SpanExporter[]) {
    this.exporters = exporters.slice();
  }

  /** The exporters each batch goes to (what the export pipeline builds one pipeline for each of). */
  get [DESTINATIONS](): readonly SpanExporter[] {
    return this.exporters;
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
    await Promise.allSettled(
      this.exporters.map((exporter) => {
        try {
          return Promise.resolve(action(exporter));
        } catch (err) {
          return Promise.reject(asError(err));
        }
      }),
    );
  }
}
