import { diag } from '@opentelemetry/api';

/**
 * Reports each kind of export fault once through `diag`, not once per export: a collector that stays down
 * for an hour makes one warning, not thousands. A success re-arms every kind.
 */
export class FaultLog {
  private readonly reported = new Set<string>();

  constructor(private readonly prefix: string) {}

  /** Warns through `diag` unless this kind was already reported since the last success. */
  report(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    try {
      diag.warn(`${this.prefix}: ${message}`);
    } catch {
      // A throwing diag logger must not break exporting.
    }
  }

  /** After a success: the next fault of any kind is reported again. */
  recovered(): void {
    this.reported.clear();
  }

  /** The fault kinds reported since the last success. */
  get activeKinds(): readonly string[] {
    return [...this.reported];
  }
}
