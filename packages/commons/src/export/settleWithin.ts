/** How `settleWithin` ended: the action's own result, a rejection or throw, or the time bound. */
export type Settled<T> =
  { outcome: 'done'; value: T } | { outcome: 'failed'; error: unknown } | { outcome: 'timeout' };

/**
 * Runs `action` (which may return a promise, throw or reject) and resolves with how it ended, at the latest after
 * `timeoutMs`; never rejects. The timer does not keep the process alive. For calling code that is not ours (a
 * span processor, an exporter's `shutdown`) without letting it hang or throw into the caller.
 */
export function settleWithin<T>(action: () => T | PromiseLike<T>, timeoutMs: number): Promise<Settled<T>> {
  return new Promise<Settled<T>>((resolve) => {
    let settled = false;
    const finish = (result: Settled<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), Math.max(0, timeoutMs));
    timer.unref?.();
    try {
      Promise.resolve(action()).then(
        (value) => finish({ outcome: 'done', value }),
        (error: unknown) => finish({ outcome: 'failed', error }),
      );
    } catch (error) {
      finish({ outcome: 'failed', error });
    }
  });
}
