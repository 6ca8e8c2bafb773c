import type { ExportResult, ExportResultCode } from '@opentelemetry/core';

// The values of @opentelemetry/core's `ExportResultCode` enum, without loading that package at start-up: a
// separate copy of it can sit under this package's node_modules, and loading one costs more (~13 ms here)
// than all of the Jaeger exporter.
const SUCCESS = 0 as ExportResultCode.SUCCESS;
const FAILED = 1 as ExportResultCode.FAILED;

export const EXPORT_SUCCESS: ExportResult = Object.freeze({ code: SUCCESS });

export function exportFailure(error: Error): ExportResult {
  return { code: FAILED, error };
}

/** Hands `result` to the caller's callback; an exception from it must not become an unhandled rejection. */
export function answer(resultCallback: (result: ExportResult) => void, result: ExportResult): void {
  try {
    resultCallback(result);
  } catch {
    // The caller's own bug; exporting goes on.
  }
}
