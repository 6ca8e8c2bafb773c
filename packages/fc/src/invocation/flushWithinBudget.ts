/** How a bounded flush ended. */
export type FlushOutcome = 'flushed' | 'failed' | 'timeout' | 'skipped';

/**
 * Waits for `flush` at most `budgetMs` milliseconds. Never rejects; the timer does not keep the process alive.
 * A flush still running when the budget is spent goes on in the background, its failure swallowed.
 */
export function flushWithinBudget(
  flush: () => Promise<void>,
  budgetMs: number,
): Promise<{ outcome: FlushOutcome; error?: unknown }> {
  if (!(budgetMs > 0)) return Promise.resolve({ outcome: 'skipped' });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: { outcome: FlushOutcome; error?: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), budgetMs);
    timer.unref();
    let flushing: Promise<void>;
    try {
      flushing = flush();
    } catch (error) {
      finish({ outcome: 'failed', error });
      return;
    }
    Promise.resolve(flushing).then(
      () => finish({ outcome: 'flushed' }),
      (error: unknown) => finish({ outcome: 'failed', error }),
    );
  });
}
