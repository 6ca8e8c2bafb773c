import type { ExportResult } from '@opentelemetry/core';

// `ExportResultCode` is a plain enum (SUCCESS = 0, FAILED = 1). Importing its value from `@opentelemetry/core`
// would load one more copy of that package on every cold start (~13 ms here, more than all of the Jaeger
// exporter), so the two results are built here.

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
