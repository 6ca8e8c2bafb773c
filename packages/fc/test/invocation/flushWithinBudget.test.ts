import { flushWithinBudget } from '../../src/invocation/flushWithinBudget';

describe('flushWithinBudget', () => {
  describe('when the flush settles in time', () => {
    it('reports flushed', async () => {
      await expect(flushWithinBudget(async () => undefined, 1000)).resolves.toEqual({ outcome: 'flushed' });
    });

    it('reports a rejection as failed, without rejecting', async () => {
      const error = new Error('503');
      await expect(flushWithinBudget(() => Promise.reject(error), 1000)).resolves.toEqual({
        outcome: 'failed',
        error,
      });
    });

    it('reports a synchronous throw as failed', async () => {
      const error = new Error('sync');
      await expect(
        flushWithinBudget(() => {
          throw error;
        }, 1000),
      ).resolves.toEqual({ outcome: 'failed', error });
    });
  });

  describe('when the flush never settles', () => {
    it('gives up after the budget, with a timer that does not hold the process', async () => {
      const spy = jest.spyOn(global, 'setTimeout');
      const result = await flushWithinBudget(() => new Promise<void>(() => undefined), 20);
      expect(result).toEqual({ outcome: 'timeout' });
      const timer = spy.mock.results[spy.mock.results.length - 1].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      spy.mockRestore();
    });
  });

  describe('when there is no budget left', () => {
    it.each([0, -5, Number.NaN])('skips the flush for a budget of %s', async (budget) => {
      const flush = jest.fn(async () => undefined);
      await expect(flushWithinBudget(flush, budget)).resolves.toEqual({ outcome: 'skipped' });
      expect(flush).not.toHaveBeenCalled();
    });
  });
});
