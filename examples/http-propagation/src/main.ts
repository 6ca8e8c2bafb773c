/**
 * Runs the whole example: for each format (or the ones named, `node dist/main.js jaeger b3`) starts the
 * server process, runs the client process against it, then stops the server.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { FORMATS, parseFormat } from './tracing';

function run(
  script: string,
  args: string[],
  onLine: (line: string) => void,
): { exited: Promise<number>; stop(): void } {
  const child = spawn(process.execPath, [path.join(__dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(deadline);
      if (partial) onLine(partial);
      resolve(code ?? 1);
    }),
  );
  return { exited, stop: () => child.kill('SIGTERM') };
}

async function demo(format: string): Promise<void> {
  let onListening: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (onListening = resolve));
  const server = run('server.js', [format], (line) => {
    const match = /^listening on (\d+)$/.exec(line);
    if (match) onListening(Number(match[1]));
    else console.log(`  server | ${line}`);
  });
  const port = await Promise.race([
    listening,
    server.exited.then(() => Promise.reject(new Error('server exited'))),
  ]);
  const client = run('client.js', [format, `http://127.0.0.1:${port}/price`], (line) =>
    console.log(`  client | ${line}`),
  );
  const clientCode = await client.exited;
  server.stop();
  const serverCode = await server.exited;
  if (clientCode !== 0 || serverCode !== 0)
    throw new Error(`${format}: client exited ${clientCode}, server ${serverCode}`);
}

async function main(): Promise<void> {
  const formats = process.argv.length > 2 ? process.argv.slice(2).map(parseFormat) : FORMATS;
  for (const format of formats) {
    console.log(`== ${format}`);
    await demo(format);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
