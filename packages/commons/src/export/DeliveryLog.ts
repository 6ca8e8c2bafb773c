import type { Reporter } from '../diagnostics/reporter';

function spans(n: number): string {
  return n === 1 ? '1 span' : `${n} spans`;
}

/**
 * What the export pipeline says about losing spans, so that a collector down for an hour makes two lines, not
 * thousands: one when exports start failing (with the reason) and one when they succeed again (with how many
 * spans were dropped meanwhile). Likewise a full queue (the collector answers, but slower than spans end): one
 * line when spans start being dropped, one when the queue has room again, with the count.
 */
export class DeliveryLog {
  private failing = false;
  private failedExports = 0;
  private droppedWhileFailing = 0;
  private overflowing = false;
  private droppedWhileFull = 0;

  constructor(
    private readonly reporter: Reporter,
    private readonly description: string,
    private readonly maxQueueSize: number,
  ) {}

  /** An export of `count` spans failed for `reason` (safe to log). */
  exportFailed(count: number, reason: string): void {
    this.failedExports++;
    this.droppedWhileFailing += count;
    if (this.failing) return;
    this.failing = true;
    this.reporter.now(
      'warn',
      `${this.description}: export failed (${reason}); spans are dropped until an export succeeds, ` +
        'further failures are not reported',
    );
  }

  /** A span was dropped because the queue was full. */
  queueFull(): void {
    if (this.failing) {
      this.droppedWhileFailing++;
      return;
    }
    this.droppedWhileFull++;
    if (this.overflowing) return;
    this.overflowing = true;
    this.reporter.now(
      'warn',
      `${this.description}: the export queue is full (${this.maxQueueSize} spans waiting): new spans are ` +
        'dropped until it has room',
    );
  }

  /** An export succeeded; `queued` spans are waiting now. */
  exportSucceeded(queued: number): void {
    if (this.failing) {
      const dropped = this.droppedWhileFailing + this.droppedWhileFull;
      this.reporter.now(
        'info',
        `${this.description}: exports succeed again after ${this.failedExports} failed export(s); ` +
          `${spans(dropped)} dropped meanwhile`,
      );
      this.failing = false;
      this.failedExports = 0;
      this.droppedWhileFailing = 0;
      this.overflowing = false;
      this.droppedWhileFull = 0;
      return;
    }
    if (this.overflowing && queued <= this.maxQueueSize / 2) {
      this.reporter.now(
        'info',
        `${this.description}: the export queue has room again; ${spans(this.droppedWhileFull)} dropped while it was full`,
      );
      this.overflowing = false;
      this.droppedWhileFull = 0;
    }
  }

  /** The exporter left `count` spans of a successful export out, for `reason` (safe to log): reported once. */
  exporterDropped(count: number, reason: string): void {
    this.reporter.once(
      `dropped:${this.description}:${reason}`,
      `${this.description}: ${spans(count)} dropped: ${reason} (reported once)`,
    );
  }
}
