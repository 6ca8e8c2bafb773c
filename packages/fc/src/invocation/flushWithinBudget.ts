import { settleWithin } from '@tracery/commons';

/** How a bounded flush ended. */
export type FlushOutcome = 'flushed' | 'failed' | 'timeout' | 'skipped';

/**
 * Waits for `flush` at most `budgetMs` milliseconds (commons' `settleWithin`): never rejects, the timer does not
 * keep the process alive, and a flush still running when the budget is spent goes on in the background, its failure
 * swallowed. No budget left: skipped, `flush` not called.
 */
export async function flushWithinBudget(
  flush: () => Promise<void>,
  budgetMs: number,
): Promise<{ outcome: FlushOutcome; error?: unknown }> {
  if (!(budgetMs > 0)) return { outcome: 'skipped' };
  const settled = await settleWithin(flush, budgetMs);
  if (settled.outcome === 'done') return { outcome: 'flushed' };
  if (settled.outcome === 'failed') return { outcome: 'failed', error: settled.error };
  return { outcome: 'timeout' };
}
