#!/usr/bin/env node
// Runs every bench/*.bench.js in its own process (so one's warm-up or heap never skews another's), collects
// the report each prints as its last line of JSON, and writes them all into BENCHMARKS.md.
//
// A bench script prints, as its LAST stdout line, one JSON object:
//   { "title": "...", "description": "...",
//     "rows":   [{ "name": "...", "value": 123.4, "unit": "ns/call" }],
//     "ratios": [{ "name": "...", "value": 1.02, "target": "<= 1.05", "pass": true }],
//     "notes":  ["..."] }
// `node bench/run.js core` runs only the scripts whose file name contains "core".
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const benchDir = __dirname;
const filter = process.argv[2];
const scripts = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
  .sort();

const reports = [];
let failures = 0;
for (const script of scripts) {
  process.stderr.write(`bench: running ${script}\n`);
  let stdout;
  try {
    stdout = execFileSync(process.execPath, ['--expose-gc', path.join(benchDir, script)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    failures++;
    reports.push({ title: script, error: String(err.message).split('\n')[0] });
    continue;
  }
  const lines = stdout.trim().split('\n');
  try {
    reports.push({ script, ...JSON.parse(lines[lines.length - 1]) });
  } catch {
    failures++;
    reports.push({ title: script, error: 'did not print a JSON report as its last line' });
  }
}

const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v));
const out = [];
out.push('# Benchmarks', '');
out.push(
  'Written by `npm run bench` (see `bench/`). Every target is a ratio between two measurements taken in the',
  'same run on the same machine, so the figures travel between machines better than absolute times do.',
  '',
  `Last run: ${new Date().toISOString()} on Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}.`,
  '',
);
for (const r of reports) {
  out.push(`## ${r.title}`, '');
  if (r.error) {
    out.push(`Failed: ${r.error}`, '');
    continue;
  }
  if (r.description) out.push(r.description, '');
  if (r.rows?.length) {
    out.push('| measurement | value | unit |', '| --- | ---: | --- |');
    for (const row of r.rows) out.push(`| ${row.name} | ${fmt(row.value)} | ${row.unit ?? ''} |`);
    out.push('');
  }
  if (r.ratios?.length) {
    out.push('| ratio | value | target | met |', '| --- | ---: | --- | --- |');
    for (const ratio of r.ratios)
      out.push(
        `| ${ratio.name} | ${fmt(ratio.value)} | ${ratio.target ?? ''} | ${ratio.pass === undefined ? '' : ratio.pass ? 'yes' : '**no**'} |`,
      );
    out.push('');
  }
  for (const note of r.notes ?? []) out.push(`- ${note}`);
  if (r.notes?.length) out.push('');
}
out.push(
  '## How to reproduce',
  '',
  '```sh',
  'npm ci',
  'npm run bench            # all of them',
  'node bench/run.js core   # only bench/*core*.bench.js (after npm run build)',
  '```',
  '',
);
fs.writeFileSync(path.join(benchDir, '..', 'BENCHMARKS.md'), out.join('\n'));
process.stderr.write(`bench: wrote BENCHMARKS.md (${reports.length} reports, ${failures} failed)\n`);
process.exitCode = failures ? 1 : 0;
