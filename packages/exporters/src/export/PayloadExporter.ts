import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  answer,
  describeError,
  EXPORT_SUCCESS,
  exportFailed,
  type BoundedExporter,
  type DeliveryResult,
} from '@tracery/commons';

/** The payloads an export's spans were encoded into, and the spans left out. */
export interface EncodedPayloads {
  payloads: { bytes: Uint8Array; spanCount: number }[];
  /** Spans that alone do not fit in one payload, left out. */
  droppedSpans: number;
  /** Spans whose encoding threw (a hostile getter, say), left out. */
  failedSpans: number;
}

/** What sending one payload found out beyond success: spans the collector said it rejected. */
export interface SendOutcome {
  rejectedSpans?: number;
  rejectedReason?: string;
}

/** Default time budget of one export (every request of it, connecting to the last byte of each answer), in ms. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

/**
 * The export lifecycle of every Tracery exporter that sends encoded payloads (Jaeger over HTTP and UDP, OTLP,
 * Zipkin): one time budget (`timeoutMs`) per export however many payloads its spans need, an answer always within
 * it (`answersWithinMs`, which the export pipeline relies on), never a throw, spans left out of a successful
 * export counted in the result, `forceFlush` waiting for the exports in flight, and `shutdown` failing later
 * exports. How many exports run at once is the export pipeline's business, not the exporter's; so is reporting
 * faults (once per outage): an exporter only says, in its result, what went wrong.
 */
export abstract class PayloadExporter implements SpanExporter, BoundedExporter {
  /** Where this exporter sends, secrets masked: named in the pipeline's messages. */
  abstract readonly description: string;
  /** Every export answers within this many milliseconds. */
  readonly answersWithinMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private isShutdown = false;

  protected constructor(protected readonly timeoutMs: number) {
    this.answersWithinMs = timeoutMs;
  }

  /** Encodes spans into payloads that each fit the size limit. Must not throw for a bad span (count it). */
  protected abstract encode(spans: ReadableSpan[]): EncodedPayloads;

  /** What limits a payload's size, as a message names it, e.g. `maxPayloadBytes (1048576)`. */
  protected abstract sizeLimit(): string;

  /** Sends one payload; rejects (with a reason free of secrets) when it is not delivered by `deadline`. */
  protected abstract send(payload: Uint8Array, deadline: number): Promise<SendOutcome | void>;

  /** Releases the transport (sockets), once no export is in flight. */
  protected abstract close(): void | Promise<void>;

  /** Exports in flight now. */
  get pendingExports(): number {
    return this.inFlight.size;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      answer(resultCallback, exportFailed(new Error(`${this.description}: the exporter is shut down`)));
      return;
    }
    const pending = this.exportSpans(spans).then((result) => answer(resultCallback, result));
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending));
  }

  /** Resolves when every export in flight has answered (each within `timeoutMs`). */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Waits for the exports in flight, then releases the transport. Later exports fail at once. Never rejects. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    await this.forceFlush();
    try {
      await this.close();
    } catch {
      // Nothing left to release.
    }
  }

  /** Never rejects. */
  private async exportSpans(spans: ReadableSpan[]): Promise<ExportResult> {
    // One budget for the whole export, however many payloads its spans need.
    const deadline = Date.now() + this.timeoutMs;
    try {
      if (spans.length === 0) return EXPORT_SUCCESS;
      const encoded = this.encode(spans);
      const reasons: string[] = [];
      if (encoded.droppedSpans > 0) reasons.push(`larger than ${this.sizeLimit()}`);
      if (encoded.failedSpans > 0) reasons.push('their fields could not be read');
      let rejected = 0;
      for (const payload of encoded.payloads) {
        const outcome = await this.send(payload.bytes, deadline);
        if (outcome?.rejectedSpans) {
          rejected += outcome.rejectedSpans;
          reasons.push(outcome.rejectedReason ?? 'rejected by the collector');
        }
      }
      const dropped = encoded.droppedSpans + encoded.failedSpans + rejected;
      if (dropped === 0) return EXPORT_SUCCESS;
      const result: DeliveryResult = { code: 0, droppedSpans: dropped, droppedReason: reasons.join('; ') };
      return result;
    } catch (err) {
      const reason = err instanceof Error ? err.message : describeError(err);
      return exportFailed(new Error(`${this.description}: ${reason}`));
    }
  }
}
