/** A flush that has not settled after this long no longer holds later flushes back, in ms. */
const STALLED_FLUSH_MS = 10_000;

/**
 * Joins concurrent flushes. A span processor's flush only sends what is still buffered: spans another flush has
 * already taken may still be on the wire when it resolves. So while one flush runs, every new caller waits for
 * the single next one, which starts when the running one has settled; both together cover every span ended
 * before the caller asked. At most two are ever pending, however many invocations flush at once. A flush that
 * stalls is let go after 10 s (it may still finish later). The returned promise rejects as the flush does.
 */
export function coalesceFlush(flush: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const current = withStallGuard(Promise.resolve().then(flush)).finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };
  return () => {
    if (running === undefined) return start();
    if (next === undefined) {
      next = running
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
    }
    return next;
  };
}

function withStallGuard(flushing: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`flush did not settle within ${STALLED_FLUSH_MS} ms`)),
      STALLED_FLUSH_MS,
    );
    timer.unref();
  });
  return Promise.race([flushing, stalled]).finally(() => clearTimeout(timer));
}
