#!/usr/bin/env node
// Cold-start cost of @tracery/exporters: in fresh Node processes, the cost of loading the OpenTelemetry SDK,
// and on top of it the cost of loading `@tracery/exporters` (built, from packages/exporters/dist) and
// creating a Jaeger HTTP exporter, which is what a Jaeger-only Function Compute handler pays on a cold start.
'use strict';
const { median } = require('./stats');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const RUNS = Number(process.env.EXPORTERS_BENCH_RUNS || 25);
const root = path.resolve(__dirname, '..');
const sdkPath = require.resolve('@opentelemetry/sdk-trace-node', { paths: [root] });
const exportersPath = path.join(root, 'packages', 'exporters', 'dist', 'index.js');
const legacyJaegerPath = require.resolve('@opentelemetry/exporter-jaeger', { paths: [root] });
const ENDPOINT = 'http://127.0.0.1:14268/api/traces';
// In this checkout the exporters package may resolve its own copy of @opentelemetry/core (another version than
// the SDK's nested one): a value import of it at start-up would load a second copy, so the note says whether
// the measured run loaded one.
const exportersCorePath = require.resolve('@opentelemetry/core', {
  paths: [path.join(root, 'packages', 'exporters')],
});
const sdkCorePath = require.resolve('@opentelemetry/core', { paths: [path.dirname(sdkPath)] });
const separateCore = exportersCorePath !== sdkCorePath;

const OURS = '@tracery/exporters';
const JAEGER_ENTRY = '@tracery/exporters/jaeger';
const LEGACY = '@opentelemetry/exporter-jaeger';
const jaegerEntryPath = path.join(root, 'packages', 'exporters', 'dist', 'jaeger', 'index.js');
const createOurs = `const { createExporter } = require(${JSON.stringify(exportersPath)});
  createExporter({ kind: 'jaeger', endpoint: ${JSON.stringify(ENDPOINT)} });`;
const variants = {
  [OURS]: { preload: '', body: createOurs },
  [JAEGER_ENTRY]: {
    preload: '',
    body: `const { JaegerHttpExporter } = require(${JSON.stringify(jaegerEntryPath)});
      new JaegerHttpExporter({ kind: 'jaeger', endpoint: ${JSON.stringify(ENDPOINT)} });`,
  },
  [LEGACY]: {
    preload: '',
    body: `const { JaegerExporter } = require(${JSON.stringify(legacyJaegerPath)});
      new JaegerExporter({ endpoint: ${JSON.stringify(ENDPOINT)} });`,
  },
};

// Each process measures the SDK's load, then the exporter's, both in CPU time and in wall time. Comparing
// the two parts of one process pays both under the same machine load; CPU time leaves out the time spent
// waiting for a core, which on a shared machine is most of the wall-time noise.
function runOnce({ preload, body }) {
  const script = `${preload}
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const wall = () => Number(process.hrtime.bigint()) / 1e6;
    const c0 = cpu(), w0 = wall();
    require(${JSON.stringify(sdkPath)});
    const c1 = cpu(), w1 = wall();
    ${body}
    const c2 = cpu(), w2 = wall();
    const secondCore = ${separateCore} && ${JSON.stringify(exportersCorePath)} in require.cache;
    process.stdout.write(JSON.stringify({ sdkCpu: c1 - c0, addCpu: c2 - c1, sdkWall: w1 - w0, addWall: w2 - w1, secondCore }));`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  const s = JSON.parse(out);
  return { ...s, cpuRatio: (s.sdkCpu + s.addCpu) / s.sdkCpu, wallRatio: (s.sdkWall + s.addWall) / s.sdkWall };
}

const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((name) => [name, []]));
// Two warm-up rounds fill the OS file cache, so every measured run reads the same warm files; the order of
// the variants rotates each round.
for (let round = 0; round < RUNS + 2; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    const sample = runOnce(variants[name]);
    if (round >= 2) samples[name].push(sample);
  }
}

const stat = (name, key) => median(samples[name].map((s) => s[key]));
const ratio = stat(OURS, 'cpuRatio');
const report = {
  title: 'Exporters: cold start of a Jaeger exporter',
  description:
    `${RUNS} fresh Node processes per variant (interleaved, after 2 warm-up rounds). Each process measures ` +
    '`require(@opentelemetry/sdk-trace-node)`, then, separately, `require(@tracery/exporters)` (built) + ' +
    "`createExporter({ kind: 'jaeger', endpoint })`: what a Jaeger-only function adds to a cold start. " +
    'The ratio is (sdk + exporters) / sdk in CPU time, computed in each process, median over the processes ' +
    "(1.10 = the exporters package and its Jaeger exporter add 10% to the SDK's own load). CPU time is the " +
    'target because loading is single-threaded work on cached files, and on a shared machine wall time mostly ' +
    "adds waiting for a core; the wall-time ratio is shown for reading. Node's boot is not counted (it would " +
    'only dilute the ratio). The deprecated `@opentelemetry/exporter-jaeger` is measured the same way.',
  rows: [
    { name: 'sdk-trace-node load, CPU', value: stat(OURS, 'sdkCpu'), unit: 'ms' },
    {
      name: 'added by @tracery/exporters + createExporter jaeger, CPU',
      value: stat(OURS, 'addCpu'),
      unit: 'ms',
    },
    {
      name: 'added by @opentelemetry/exporter-jaeger + new JaegerExporter, CPU',
      value: stat(LEGACY, 'addCpu'),
      unit: 'ms',
    },
    { name: 'sdk-trace-node load, wall', value: stat(OURS, 'sdkWall'), unit: 'ms' },
    {
      name: 'added by @tracery/exporters + createExporter jaeger, wall',
      value: stat(OURS, 'addWall'),
      unit: 'ms',
    },
    {
      name: 'added by @opentelemetry/exporter-jaeger + new JaegerExporter, wall',
      value: stat(LEGACY, 'addWall'),
      unit: 'ms',
    },
  ],
  ratios: [
    {
      name: '(sdk + @tracery/exporters jaeger) / sdk, CPU',
      value: ratio,
      target: '<= 1.1',
      pass: ratio <= 1.1,
    },
    {
      name: '(sdk + @tracery/exporters jaeger) / sdk, wall',
      value: stat(OURS, 'wallRatio'),
      target: 'for reading',
    },
    {
      name: '(sdk + @tracery/exporters/jaeger + new JaegerHttpExporter) / sdk, CPU',
      value: stat(JAEGER_ENTRY, 'cpuRatio'),
      target: 'for reading (the Jaeger entry alone, as @tracery/fc loads it)',
    },
    {
      name: '(sdk + @opentelemetry/exporter-jaeger) / sdk, CPU',
      value: stat(LEGACY, 'cpuRatio'),
      target: 'for comparison',
    },
  ],
  notes: [
    samples[OURS].some((s) => s.secondCore)
      ? `Creating the Jaeger exporter loaded a second copy of @opentelemetry/core (${path.relative(root, exportersCorePath)}), ` +
        "apart from the SDK's: part of the added cost is that copy."
      : "Creating the Jaeger exporter loaded no copy of @opentelemetry/core apart from the SDK's.",
    `Added by @tracery/exporters (CPU) min/max over the runs: ${Math.min(...samples[OURS].map((s) => s.addCpu)).toFixed(1)}/` +
      `${Math.max(...samples[OURS].map((s) => s.addCpu)).toFixed(1)} ms; SDK load (CPU) min/max: ` +
      `${Math.min(...samples[OURS].map((s) => s.sdkCpu)).toFixed(1)}/${Math.max(...samples[OURS].map((s) => s.sdkCpu)).toFixed(1)} ms.`,
  ],
};
process.stdout.write(`${JSON.stringify(report)}\n`);
