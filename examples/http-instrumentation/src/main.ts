/**
 * Runs the whole example: for each format (or the ones named, `node dist/main.js jaeger b3`) starts the price
 * service, runs the function once against it, then stops the service.
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

async function once(format: string): Promise<void> {
  let onListening: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (onListening = resolve));
  const server = run('server.js', [format], (line) => {
    const match = /^listening on (\d+)$/.exec(line);
    if (match) onListening(Number(match[1]));
    else console.log(`  price-service  | ${line}`);
  });
  const port = await Promise.race([
    listening,
    server.exited.then(() => Promise.reject(new Error('the price service exited'))),
  ]);
  const fn = run('function.js', [format, `http://127.0.0.1:${port}`], (line) =>
    console.log(`  quote-function | ${line}`),
  );
  const functionCode = await fn.exited;
  server.stop();
  const serverCode = await server.exited;
  if (functionCode !== 0 || serverCode !== 0)
    throw new Error(`${format}: the function exited ${functionCode}, the price service ${serverCode}`);
}

async function main(): Promise<void> {
  const formats = process.argv.length > 2 ? process.argv.slice(2).map(parseFormat) : FORMATS;
  for (const format of formats) {
    console.log(`== ${format}`);
    await once(format);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
