#!/usr/bin/env node
// Cold-start cost of @tracery/exporters: in fresh Node processes, the time to load the OpenTelemetry SDK,
// and on top of it the time to load `@tracery/exporters` (built, from packages/exporters/dist) and create a
// Jaeger HTTP exporter, which is what a Jaeger-only Function Compute handler pays on a cold start.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const RUNS = Number(process.env.EXPORTERS_BENCH_RUNS || 31);
const root = path.resolve(__dirname, '..');
const sdkPath = require.resolve('@opentelemetry/sdk-trace-node', { paths: [root] });
const exportersPath = path.join(root, 'packages', 'exporters', 'dist', 'index.js');
const legacyJaegerPath = require.resolve('@opentelemetry/exporter-jaeger', { paths: [root] });
const ENDPOINT = 'http://127.0.0.1:14268/api/traces';

// Each process loads the SDK first (timed), then the exporter under test (timed separately): the ratio of
// one process, (sdk + exporter) / sdk, compares two costs paid under the same machine load at the same moment,
// which is far steadier on a shared machine than comparing separate processes.
const variants = {
  '@tracery/exporters': `const { createExporter } = require(${JSON.stringify(exportersPath)});
    createExporter({ kind: 'jaeger', endpoint: ${JSON.stringify(ENDPOINT)} });`,
  '@opentelemetry/exporter-jaeger': `const { JaegerExporter } = require(${JSON.stringify(legacyJaegerPath)});
    new JaegerExporter({ endpoint: ${JSON.stringify(ENDPOINT)} });`,
};

function runOnce(body) {
  const script = `const t0 = process.hrtime.bigint();
    require(${JSON.stringify(sdkPath)});
    const t1 = process.hrtime.bigint();
    ${body}
    const t2 = process.hrtime.bigint();
    process.stdout.write(JSON.stringify([Number(t1 - t0) / 1e6, Number(t2 - t1) / 1e6]));`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  const [sdkMs, addedMs] = JSON.parse(out);
  return { sdkMs, addedMs, ratio: (sdkMs + addedMs) / sdkMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
// Two warm-up rounds fill the OS file cache, so every measured run reads the same warm files.
for (let round = 0; round < RUNS + 2; round++) {
  const names = Object.keys(variants);
  const order = round % 2 ? names : [...names].reverse();
  for (const name of order) {
    const sample = runOnce(variants[name]);
    if (round >= 2) samples[name].push(sample);
  }
}

const stat = (name, key) => median(samples[name].map((s) => s[key]));
const ours = '@tracery/exporters';
const legacy = '@opentelemetry/exporter-jaeger';
const ratio = stat(ours, 'ratio');
const legacyRatio = stat(legacy, 'ratio');
const report = {
  title: 'Exporters: cold start of a Jaeger exporter',
  description:
    `${RUNS} fresh Node processes per variant (interleaved, after 2 warm-up rounds). Each process times ` +
    '`require(@opentelemetry/sdk-trace-node)`, then, separately, `require(@tracery/exporters)` (built) + ' +
    "`createExporter({ kind: 'jaeger', endpoint })`, i.e. what a Jaeger-only function adds on a cold start. " +
    'The ratio is (sdk + exporters) / sdk computed in each process, median over the processes: 1.10 would mean ' +
    "the exporters package and the Jaeger exporter add 10% to the SDK's own load time. Node's boot is not " +
    'counted (it would only dilute the ratio). The deprecated `@opentelemetry/exporter-jaeger` is measured the ' +
    'same way for comparison.',
  rows: [
    { name: 'sdk-trace-node load (median)', value: stat(ours, 'sdkMs'), unit: 'ms' },
    {
      name: 'added by @tracery/exporters + createExporter jaeger (median)',
      value: stat(ours, 'addedMs'),
      unit: 'ms',
    },
    {
      name: 'added by @opentelemetry/exporter-jaeger + new JaegerExporter (median)',
      value: stat(legacy, 'addedMs'),
      unit: 'ms',
    },
  ],
  ratios: [
    { name: '(sdk + @tracery/exporters jaeger) / sdk', value: ratio, target: '<= 1.1', pass: ratio <= 1.1 },
    {
      name: '(sdk + @opentelemetry/exporter-jaeger) / sdk, for comparison',
      value: legacyRatio,
      target: 'none',
    },
  ],
  notes: [
    `Added by @tracery/exporters, min/max over the runs: ${Math.min(...samples[ours].map((s) => s.addedMs)).toFixed(1)}/` +
      `${Math.max(...samples[ours].map((s) => s.addedMs)).toFixed(1)} ms; SDK load min/max: ` +
      `${Math.min(...samples[ours].map((s) => s.sdkMs)).toFixed(1)}/${Math.max(...samples[ours].map((s) => s.sdkMs)).toFixed(1)} ms.`,
  ],
};
process.stdout.write(`${JSON.stringify(report)}\n`);
