import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The inventory service process, started by the demo. */
export interface InventoryProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Asks it to stop (it flushes its spans first) and waits for its exit code. */
  stop(): Promise<number>;
}

export function startInventory(collectorUrl: string): Promise<InventoryProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'server.js')], {
    env: { ...process.env, DEMO_COLLECTOR_URL: collectorUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  deadline.unref();
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve(code ?? 1);
    }),
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = /listening on (\d+)/.exec(output);
      if (match) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          pid: child.pid ?? 0,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`the inventory process exited (${code}) before listening`)));
  });
}
