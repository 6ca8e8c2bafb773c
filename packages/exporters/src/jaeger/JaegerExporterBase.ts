import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { answer, EXPORT_SUCCESS, exportFailed } from '../export/exportResults';
import type { EncodedBatches } from './encodeBatches';
import { FaultLog } from './FaultLog';

/** A setting of the Jaeger exporters: `value` when it is a positive finite number (floored), else `fallback`. */
export function positiveInteger(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/**
 * The export lifecycle both Jaeger exporters (HTTP collector, UDP agent) share: at most `maxInFlight` exports
 * at once (more fail at once, nothing queues), one time budget (`timeoutMs`) per export however many payloads
 * its spans need, each kind of fault reported once through `diag` until an export succeeds, `forceFlush`
 * waiting for the exports in flight, and `shutdown` failing later exports. Subclasses encode and send.
 */
export abstract class JaegerExporterBase implements SpanExporter {
  protected readonly faults: FaultLog;
  private readonly inFlight = new Set<Promise<void>>();
  private isShutdown = false;

  protected constructor(
    faultPrefix: string,
    private readonly maxInFlight: number,
  ) {
    this.faults = new FaultLog(faultPrefix);
  }

  /** Time budget of one export, in milliseconds. */
  protected abstract readonly timeoutMs: number;

  /** The payload size limit as a fault report names it, e.g. `maxPayloadBytes (1048576)`. */
  protected abstract sizeLimit(): string;

  /** Encodes spans into payloads that each fit the size limit. */
  protected abstract encode(spans: ReadableSpan[]): EncodedBatches;

  /** Sends one payload; rejects when it cannot be delivered by `deadline` (epoch milliseconds). */
  protected abstract send(payload: Buffer, deadline: number): Promise<void>;

  /** Reports that `maxInFlight` exports are already in flight, and returns the failure for the caller. */
  protected abstract overloaded(): ExportResult;

  /** Reports a failed send, and returns the failure for the caller (its message free of secrets). */
  protected abstract failed(err: unknown): ExportResult;

  /** Releases the transport (sockets, connections) once no export is in flight. */
  protected abstract close(): Promise<void>;

  /** Exports in flight now (at most the exporter's `MAX_..._IN_FLIGHT`). */
  get pendingExports(): number {
    return this.inFlight.size;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      answer(resultCallback, exportFailed(new Error('Jaeger exporter is shut down')));
      return;
    }
    if (this.inFlight.size >= this.maxInFlight) {
      answer(resultCallback, this.overloaded());
      return;
    }
    const pending = this.exportSpans(spans).then((result) => answer(resultCallback, result));
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending));
  }

  /** Resolves when every export in flight has answered (each within its time budget). */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Waits for exports in flight, then releases the transport. Later exports fail at once. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    await this.forceFlush();
    await this.close();
  }

  /** Never rejects. */
  private async exportSpans(spans: ReadableSpan[]): Promise<ExportResult> {
    try {
      if (spans.length === 0) return EXPORT_SUCCESS;
      const encoded = this.encode(spans);
      if (encoded.droppedSpans > 0) {
        this.faults.report(
          'oversize',
          `${encoded.droppedSpans} span(s) larger than ${this.sizeLimit()} dropped`,
        );
      }
      if (encoded.failedSpans > 0) {
        this.faults.report('encode', `${encoded.failedSpans} span(s) could not be read and were dropped`);
      }
      // One budget for the whole export, however many payloads its spans need.
      const deadline = Date.now() + this.timeoutMs;
      for (const payload of encoded.payloads) await this.send(payload.bytes, deadline);
      if (encoded.droppedSpans === 0 && encoded.failedSpans === 0) this.faults.recovered();
      return EXPORT_SUCCESS;
    } catch (err) {
      return this.failed(err);
    }
  }
}
