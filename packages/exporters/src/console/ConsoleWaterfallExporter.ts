import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { EXPORT_SUCCESS } from '@tracery/commons';
import { exportersReporter } from '../export/reporter';
import type { ConsoleExporterConfig } from '../types';
import { renderWaterfall } from './renderWaterfall';
import { toWaterfallSpan } from './toWaterfallSpan';

interface PendingTrace {
  spans: ReadableSpan[];
  dropped: number;
}

/**
 * Prints each finished trace as a waterfall (see `renderWaterfall`). Spans are held per trace until the
 * trace's local root (a span without a parent, or with a remote parent) is exported; traces whose root has
 * not ended are printed on `forceFlush`/`shutdown`, or early once more than `maxTraces` are waiting.
 */
export class ConsoleWaterfallExporter implements SpanExporter {
  private readonly write: (text: string) => void;
  private readonly maxTraces: number;
  private readonly maxSpansPerTrace: number;
  private readonly pending = new Map<string, PendingTrace>();

  constructor(private readonly config: Omit<ConsoleExporterConfig, 'kind'> = {}) {
    this.write = config.write ?? ((text) => void process.stdout.write(text));
    this.maxTraces = config.maxTraces ?? 100;
    this.maxSpansPerTrace = config.maxSpansPerTrace ?? 1000;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const finished = new Set<string>();
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      let trace = this.pending.get(traceId);
      if (!trace) {
        trace = { spans: [], dropped: 0 };
        this.pending.set(traceId, trace);
      }
      if (trace.spans.length < this.maxSpansPerTrace) trace.spans.push(span);
      else trace.dropped++;
      if (!span.parentSpanContext || span.parentSpanContext.isRemote) finished.add(traceId);
    }
    for (const traceId of finished) this.print(traceId);
    while (this.pending.size > this.maxTraces) {
      this.print(this.pending.keys().next().value as string, 'root span not ended yet');
    }
    resultCallback(EXPORT_SUCCESS);
  }

  /** Prints every trace still waiting for its root. */
  forceFlush(): Promise<void> {
    for (const traceId of [...this.pending.keys()]) this.print(traceId, 'root span not ended yet');
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }

  private print(traceId: string, note?: string): void {
    const trace = this.pending.get(traceId);
    this.pending.delete(traceId);
    if (!trace) return;
    const notes = [
      note,
      trace.dropped ? `${trace.dropped} spans not shown (over ${this.maxSpansPerTrace})` : undefined,
    ];
    const text = renderWaterfall(trace.spans.map(toWaterfallSpan), {
      attributes: this.config.attributes,
      barWidth: this.config.barWidth,
      note: notes.filter(Boolean).join(', ') || undefined,
    });
    try {
      this.write(`${text}\n`);
    } catch (err) {
      exportersReporter.once('console:write', 'console exporter could not write a trace', { error: err });
    }
  }
}
