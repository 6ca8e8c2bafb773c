// Exporters for the export pipeline's tests whose answers the test controls: each export waits until the test
// answers it (or answers by a rule), so the order of events is the test's, not the clock's.
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface PendingExport {
  spans: ReadableSpan[];
  answer(result?: ExportResult): void;
}

/** An exporter that holds every export until the test answers it (`pending`), or answers it by `rule` at once. */
export class ScriptedExporter implements SpanExporter {
  readonly pending: PendingExport[] = [];
  /** Every span name exported, in export order (each export's spans appended when it is handed over). */
  readonly received: string[] = [];
  exports = 0;
  shutdowns = 0;
  rule: ((spans: ReadableSpan[]) => ExportResult | 'hold') | undefined;
  /** Optional promise of an answer within this many ms (Tracery's own exporters make it). */
  answersWithinMs?: number;
  onShutdown: () => Promise<void> = () => Promise.resolve();

  constructor(readonly description = 'scripted exporter') {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exports++;
    this.received.push(...spans.map((s) => s.name));
    const ruled = this.rule?.(spans) ?? 'hold';
    if (ruled !== 'hold') {
      resultCallback(ruled);
      return;
    }
    const entry: PendingExport = {
      spans,
      answer: (result = { code: 0 }) => {
        const index = this.pending.indexOf(entry);
        if (index >= 0) this.pending.splice(index, 1);
        resultCallback(result);
      },
    };
    this.pending.push(entry);
  }

  /** Answers every export held now (by default SUCCESS). */
  answerAll(result?: ExportResult): void {
    for (const entry of [...this.pending]) entry.answer(result);
  }

  shutdown(): Promise<void> {
    this.shutdowns++;
    return this.onShutdown();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Lets pending promise callbacks and immediates run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const FAILED = (message = 'collector down'): ExportResult => ({ code: 1, error: new Error(message) });
