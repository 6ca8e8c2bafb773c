import { spawn, type ChildProcess } from 'node:child_process';

/** A child process started by a test: its stdout lines, its stderr, and a promise of its exit. */
export interface RunningChild {
  readonly child: ChildProcess;
  /** Complete stdout lines received so far. */
  readonly lines: string[];
  /** When each of `lines` was received (`performance.now()` of this process), same order. */
  readonly lineTimes: number[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout line (past or future) that matches; rejects on timeout or exit. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process (SIGKILL) if it is still running. */
  kill(): void;
}

const running = new Set<RunningChild>();

/** The port a child server announced with its `LISTENING <port>` line (see `announceListening`). */
export async function listeningPort(child: RunningChild): Promise<number> {
  const line = await child.waitForLine((candidate) => candidate.startsWith('LISTENING '));
  return Number(line.slice('LISTENING '.length));
}

/**
 * Starts `node <args>` with a hard deadline: whatever happens, the process is killed after `deadlineMs`,
 * so a test can never leave a process behind. Call `killChildren()` in `afterAll` as well.
 */
export function startNode(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; deadlineMs?: number } = {},
): RunningChild {
  return startProgram(process.execPath, args, options);
}

/** Starts `command <args>` (a Python or Ruby program, say) with the same deadline and handling as `startNode`. */
export function startProgram(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; deadlineMs?: number } = {},
): RunningChild {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const lineTimes: number[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    let newline = partial.indexOf('\n');
    while (newline >= 0) {
      const line = partial.slice(0, newline).replace(/\r$/, '');
      partial = partial.slice(newline + 1);
      lines.push(line);
      lineTimes.push(performance.now());
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      newline = partial.indexOf('\n');
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs ?? 15_000);
  deadline.unref();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      running.delete(handle);
      if (partial !== '') lines.push(partial);
      resolve({ code, signal });
    });
    child.on('error', () => resolve({ code: null, signal: null }));
  });

  const handle: RunningChild = {
    child,
    lines,
    lineTimes,
    stderr: () => stderr,
    waitForLine(match, timeoutMs = 10_000) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `no matching line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
        void exited.then(({ code }) => {
          if (waiters.includes(waiter)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            clearTimeout(timer);
            reject(
              new Error(`process exited (${code}) first; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`),
            );
          }
        });
      });
    },
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  running.add(handle);
  return handle;
}

/** Kills every child started by `startNode` or `startProgram` in this test file that is still running. */
export async function killChildren(): Promise<void> {
  const all = [...running];
  for (const handle of all) handle.kill();
  await Promise.all(all.map((handle) => handle.exited));
}
