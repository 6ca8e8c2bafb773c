import { coalesceFlush } from '../../src/provider/coalesceFlush';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('coalesceFlush', () => {
  describe('when flushes overlap', () => {
    it('runs at most one more flush after the running one, shared by every later caller', async () => {
      const runs: ReturnType<typeof deferred>[] = [];
      const flush = coalesceFlush(() => {
        const run = deferred();
        runs.push(run);
        return run.promise;
      });
      const first = flush();
      await Promise.resolve();
      const later = Array.from({ length: 50 }, () => flush());
      expect(runs).toHaveLength(1);
      runs[0].resolve();
      await first;
      await new Promise((resolve) => setImmediate(resolve));
      expect(runs).toHaveLength(2);
      let laterSettled = false;
      void Promise.all(later).then(() => (laterSettled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(laterSettled).toBe(false);
      runs[1].resolve();
      await Promise.all(later);
      expect(runs).toHaveLength(2);
    });

    it('starts the next flush even when the running one failed, and passes failures on', async () => {
      let calls = 0;
      const flush = coalesceFlush(async () => {
        calls++;
        if (calls === 1) throw new Error('collector down');
      });
      const first = flush();
      const second = flush();
      await expect(first).rejects.toThrow('collector down');
      await expect(second).resolves.toBeUndefined();
      expect(calls).toBe(2);
    });
  });

  describe('when nothing is running', () => {
    it('starts a new flush for each call', async () => {
      let calls = 0;
      const flush = coalesceFlush(async () => {
        calls++;
      });
      await flush();
      await flush();
      expect(calls).toBe(2);
    });
  });
});
