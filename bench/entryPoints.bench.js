#!/usr/bin/env node
// What each entry point of @tracery/core (and @tracery/fc, which uses the main one) costs to load, in fresh
// Node processes: the modules `require` loads and its time. Shows where inversify is paid: only by
// `@tracery/core/inversify`.
'use strict';
const { median } = require('./stats');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const RUNS = Number(process.env.ENTRY_POINTS_BENCH_RUNS || 21);
const root = path.resolve(__dirname, '..');
// Resolved as a user's project resolves them: through the workspace's node_modules, to the built packages.
const from = path.join(root, 'examples', 'demo');
const entries = {
  '@opentelemetry/sdk-trace-node': require.resolve('@opentelemetry/sdk-trace-node', { paths: [root] }),
  '@tracery/core': require.resolve('@tracery/core', { paths: [from] }),
  '@tracery/core/inversify': require.resolve('@tracery/core/inversify', { paths: [from] }),
  '@tracery/core/provider': require.resolve('@tracery/core/provider', { paths: [from] }),
  '@tracery/fc': require.resolve('@tracery/fc', { paths: [from] }),
  inversify: require.resolve('inversify', { paths: [root] }),
};

function runOnce(file) {
  const script = `
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const wall = () => Number(process.hrtime.bigint()) / 1e6;
    const c0 = cpu(), w0 = wall();
    require(${JSON.stringify(file)});
    const c1 = cpu(), w1 = wall();
    const files = Object.keys(require.cache);
    const container = files.filter((f) => /node_modules[\\\\/](inversify|@inversifyjs[\\\\/][^\\\\/]+|reflect-metadata)[\\\\/]/.test(f));
    process.stdout.write(JSON.stringify({ cpu: c1 - c0, wall: w1 - w0, modules: files.length, container: container.length }));`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    }),
  );
}

const names = Object.keys(entries);
const samples = Object.fromEntries(names.map((name) => [name, []]));
// Two warm-up rounds fill the OS file cache; the order of the entries rotates each round.
for (let round = 0; round < RUNS + 2; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    const sample = runOnce(entries[name]);
    if (round >= 2) samples[name].push(sample);
  }
}
const stat = (name, key) => median(samples[name].map((s) => s[key]));

const rows = [];
for (const name of names) {
  rows.push({ name: `require('${name}'): modules loaded`, value: stat(name, 'modules'), unit: 'modules' });
  rows.push({
    name: `require('${name}'): of them inversify's and reflect-metadata`,
    value: stat(name, 'container'),
    unit: 'modules',
  });
  rows.push({ name: `require('${name}'), CPU`, value: stat(name, 'cpu'), unit: 'ms' });
  rows.push({ name: `require('${name}'), wall`, value: stat(name, 'wall'), unit: 'ms' });
}
const report = {
  title: 'Entry points: what loading @tracery/core, its inversify and provider entries and @tracery/fc costs',
  description:
    `${RUNS} fresh Node processes per entry point (interleaved, after 2 warm-up rounds), each timing one ` +
    '`require` of the built package (CPU time and wall time, medians) and counting the modules it loaded. ' +
    'The main entry of @tracery/core and @tracery/fc load no inversify; `@tracery/core/inversify` adds it.',
  rows,
  ratios: [
    {
      name: "require('@tracery/core/inversify') / require('@tracery/core'), CPU",
      value: stat('@tracery/core/inversify', 'cpu') / stat('@tracery/core', 'cpu'),
      target: 'for reading',
    },
  ],
  notes: [],
};
process.stdout.write(`${JSON.stringify(report)}\n`);
