import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { EXPORT_SUCCESS, exportFailed } from '@tracery/commons';
import { exportersReporter } from '../export/reporter';
import type { MemoryExporterConfig } from '../types';

const DEFAULT_MAX_SPANS = 100_000;

/**
 * Keeps finished spans in memory, for tests: read them with `getFinishedSpans()`, clear with `reset()`.
 * At most `maxSpans` are kept; later spans are counted in `droppedSpans` (reported once through `diag`).
 *
 * @example
 * const memory = createExporter({ kind: 'memory' });
 * // ... run traced code, flush the provider ...
 * expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['child', 'root']);
 * memory.reset();
 */
export class MemorySpanExporter implements SpanExporter {
  private readonly maxSpans: number;
  private spans: ReadableSpan[] = [];
  private dropped = 0;
  private stopped = false;

  constructor(config: Omit<MemoryExporterConfig, 'kind'> = {}) {
    this.maxSpans = config.maxSpans ?? DEFAULT_MAX_SPANS;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback(exportFailed(new Error('MemorySpanExporter has been shut down')));
      return;
    }
    const room = Math.max(0, this.maxSpans - this.spans.length);
    if (spans.length > room) {
      exportersReporter.once(
        'memory:full',
        `memory exporter is full (${this.maxSpans} spans); dropping further spans`,
      );
      this.dropped += spans.length - room;
    }
    for (let i = 0; i < Math.min(room, spans.length); i++) this.spans.push(spans[i]);
    resultCallback(EXPORT_SUCCESS);
  }

  /** The spans exported so far (a copy), in the order they were exported. */
  getFinishedSpans(): ReadableSpan[] {
    return this.spans.slice();
  }

  /** How many spans were dropped because `maxSpans` were already held. */
  get droppedSpans(): number {
    return this.dropped;
  }

  /** Forgets every span held and the dropped count. */
  reset(): void {
    this.spans = [];
    this.dropped = 0;
  }

  /** Stops accepting spans; the spans already held stay readable. */
  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
