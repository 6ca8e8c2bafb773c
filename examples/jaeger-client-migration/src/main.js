// Runs the example: the price service in one process, the shop in another, over a real HTTP call on
// 127.0.0.1. Their output is shown prefixed with the process; the exit code is 0 when both succeed.
const { spawn } = require('child_process');
const path = require('path');

function run(name, script, args, onLine) {
  const child = spawn(process.execPath, [path.join(__dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      console.log(`[${name}] ${line}`);
      if (onLine) onLine(line);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

let client;
const server = run('price-service', 'server.js', [], (line) => {
  const listening = /^listening on (\d+)$/.exec(line);
  if (listening) client = run('shop', 'client.js', [`http://127.0.0.1:${listening[1]}/price?sku=sku-42`]);
});

server.then(async (serverCode) => {
  const clientCode = client ? await client : 1;
  process.exitCode = serverCode === 0 && clientCode === 0 ? 0 : 1;
});
