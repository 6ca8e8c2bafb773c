import type { ExportResult } from '@opentelemetry/core';

// `ExportResultCode` is a plain enum (SUCCESS = 0, FAILED = 1); the results are built here so that a module
// needing only these two values does not have to load `@opentelemetry/core` for them.

/**
 * An export result as Tracery's exporters give it: OpenTelemetry's `ExportResult`, plus how many of the batch's
 * spans the exporter left out although the export as a whole succeeded (a span too large for one payload, a span
 * whose fields could not be read), and why. The export pipeline counts those as dropped.
 */
export interface DeliveryResult extends ExportResult {
  /** Spans of the batch that were not sent. Default 0. */
  droppedSpans?: number;
  /** Why they were not sent, safe to log (no secret). */
  droppedReason?: string;
}

/** The successful export result. */
export const EXPORT_SUCCESS: ExportResult = Object.freeze({ code: 0 });

/** A failed export result carrying `error`. */
export function exportFailed(error: Error): ExportResult {
  return { code: 1, error };
}

/** Whether `result` is a success. */
export function isExportSuccess(result: ExportResult): boolean {
  return result.code === 0;
}

/** Hands `result` to the caller's callback; an exception from it must not become an unhandled rejection. */
export function answer(resultCallback: (result: ExportResult) => void, result: ExportResult): void {
  try {
    resultCallback(result);
  } catch {
    // The caller's own bug; exporting goes on.
  }
}

/** `reason` as an Error (a thrown value may be anything). */
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
