import { reportOnce } from '../diagnostics/reportOnce';

/** What is flushed when the process runs out of work: a tracer provider `TracerService` built. */
export interface ExitFlushable {
  /** Must settle within a bounded time: the process is kept alive until it does. */
  forceFlush(): Promise<void>;
}

const registered = new Set<ExitFlushable>();
let flushing = false;

/**
 * Flushes every registered provider when Node's event loop runs out of work (`beforeExit`), so a program
 * that ends without calling `shutdown()` still exports the spans its batch processors hold. The export's
 * sockets keep the process up until it is done (bounded by the processors' and exporters' own timeouts);
 * once the loop is empty again, `beforeExit` comes back and flushes whatever ended since (work started by
 * other `beforeExit` listeners). A flush with nothing pending schedules nothing, so the process then exits.
 * `process.exit()`, signals and uncaught exceptions do not emit `beforeExit`: call `shutdown()` there.
 */
function onBeforeExit(): void {
  if (flushing) return; // a flush still waiting on nothing that keeps the loop alive: do not stack another
  flushing = true;
  const flushes: Promise<void>[] = [];
  for (const target of registered) flushes.push(flushQuietly(target));
  void Promise.all(flushes).then(() => {
    flushing = false;
  });
}

function flushQuietly(target: ExitFlushable): Promise<void> {
  const failed = (error: unknown): void =>
    reportOnce('exit:flush', 'could not flush spans before the process exits', error);
  // The flush is bounded by the export timeout; until it is over, the process must not end under it (an
  // exporter waiting on nothing that keeps the event loop alive would otherwise be cut off with its spans).
  const keepAlive = setInterval(() => undefined, 60_000);
  const done = (): void => clearInterval(keepAlive);
  try {
    return Promise.resolve(target.forceFlush()).then(done, (error: unknown) => {
      done();
      failed(error);
    });
  } catch (error) {
    done();
    failed(error);
    return Promise.resolve();
  }
}

/**
 * Registers `target` to be flushed on `beforeExit`; returns the function that unregisters it. One process
 * listener serves every target: added with the first, removed with the last, so nothing accumulates.
 */
export function flushOnExit(target: ExitFlushable): () => void {
  if (typeof process === 'undefined' || typeof process.on !== 'function') return () => undefined;
  registered.add(target);
  if (registered.size === 1) process.on('beforeExit', onBeforeExit);
  return () => {
    if (!registered.delete(target)) return;
    if (registered.size === 0) process.off('beforeExit', onBeforeExit);
  };
}
