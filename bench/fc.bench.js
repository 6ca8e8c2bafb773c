#!/usr/bin/env node
// @tracery/fc: what tracing costs a Function Compute invocation on the wire. A local HTTP server on 127.0.0.1,
// in a process of its own, stands in for FC's Jaeger collector (it counts requests and bytes and answers 202, as
// Jaeger does). Measured:
// - HTTP requests per invocation for 1, 10 and 100 spans, with `tracedHandler` (built packages, its own
//   provider exporting to `context.tracing.jaegerEndpoint`) and with the shape of FC's official sample (a new
//   provider per call, SimpleSpanProcessor + @opentelemetry/exporter-jaeger, one export per span, so about one request per span when spans end in different ticks);
// - the flush time an invocation waits for (from the handler's return to the wrapper's resolve, span end and
//   export included), as a ratio to the collector's plain round trip (a POST of the same size on a kept-alive
//   connection), medians over many invocations;
// - what a whole traced invocation costs beyond that one round trip, for 1 and 100 spans: the wrapped handler
//   called and awaited (its body makes the spans, nothing else), against a plain POST of the same body, in
//   interleaved pairs (the median of the pairs' differences).
'use strict';
const { median } = require('./stats');
/* global Buffer, setImmediate */
const http = require('node:http');
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const fc = require(path.join(root, 'packages', 'fc', 'dist', 'index.js'));
const api = require(require.resolve('@opentelemetry/api', { paths: [root] }));
const sdk = require(require.resolve('@opentelemetry/sdk-trace-base', { paths: [root] }));
const { JaegerExporter } = require(require.resolve('@opentelemetry/exporter-jaeger', { paths: [root] }));

const INVOCATIONS_PER_SIZE = Number(process.env.FC_BENCH_INVOCATIONS || 20);
const TIMING_RUNS = Number(process.env.FC_BENCH_TIMING_RUNS || 300);
/** Interleaved (invocation, POST) pairs per span count for the cost beyond one round trip. */
const OVERHEAD_PAIRS = Number(process.env.FC_BENCH_OVERHEAD_PAIRS || 600);
const SPAN_COUNTS = [1, 10, 100];
/** Span counts of the cost beyond one round trip, with their targets in microseconds. */
const OVERHEAD_TARGETS_US = { 1: 120, 100: 300 };

/**
 * The collector's stand-in runs in a process of its own, as FC's collector runs on another machine: its parsing
 * and answering do not share the measured process's thread. `GET /stats` answers its counts.
 */
const COLLECTOR_SOURCE = `
  const http = require('node:http');
  const stats = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') return res.end(JSON.stringify(stats));
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      stats.requests++;
      stats.bytes += bytes;
      res.writeHead(202).end();
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
  process.stdin.on('end', () => process.exit(0)).resume();
`;

function startCollector() {
  const child = spawn(process.execPath, ['-e', COLLECTOR_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => {
      const port = Number(String(chunk).trim());
      const base = `http://127.0.0.1:${port}`;
      const statsAgent = new http.Agent({ keepAlive: false });
      resolve({
        url: `${base}/api/traces`,
        stats: () =>
          new Promise((done, fail) => {
            http
              .get(`${base}/stats`, { agent: statsAgent }, (res) => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (part) => (text += part));
                res.on('end', () => done(JSON.parse(text)));
              })
              .on('error', fail);
          }),
        close: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.stdin.end();
          }),
      });
    });
  });
}

let sequence = 0;
function fcContext(endpoint) {
  sequence++;
  const id = (sequence + 0x1000).toString(16);
  return {
    requestId: `bench-${sequence}`,
    // FC's temporary credentials are long strings: secrets the export pipeline masks in every span.
    credentials: {
      accessKeyId: 'LTAI5tBenchAccessKeyId',
      accessKeySecret: 'BenchAccessKeySecret0123456789',
      securityToken: 'CAIS.BenchSecurityToken.0123456789abcdef',
    },
    function: { name: 'bench-fn', handler: 'index.handler', memory: 128, timeout: 60 },
    service: { name: 'bench-service' },
    region: 'cn-hangzhou',
    accountId: '1',
    tracing: {
      openTracingSpanContext: `${id}:${id}:0:1`,
      openTracingSpanBaggages: {},
      jaegerEndpoint: endpoint,
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The handler body: `spanCount - 1` child spans (the invocation span makes `spanCount`), each ended after an
 * asynchronous step, as the spans of real handler code are (awaited I/O between them).
 */
async function work(tracer, spanCount) {
  for (let i = 1; i < spanCount; i++) {
    const span = tracer.startSpan(`step-${i}`);
    await tick();
    span.end();
  }
}

/** FC's official sample, reduced to its export path: a provider per call, one exporter call per span. */
async function officialSampleStyle(endpoint, context, spanCount) {
  const exporter = new JaegerExporter({ endpoint, serviceName: 'bench-service' });
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('official-sample');
  const [traceId, spanId] = context.tracing.openTracingSpanContext.split(':');
  const parent = api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: traceId.padStart(32, '0'),
    spanId: spanId.padStart(16, '0'),
    traceFlags: 1,
    isRemote: true,
  });
  const span = tracer.startSpan('bench-fn', { kind: api.SpanKind.SERVER }, parent);
  await api.context.with(api.trace.setSpan(parent, span), () => work(tracer, spanCount));
  span.end();
  // the sample returns here; the bench waits for the exports only to count them
  await provider.forceFlush();
  await provider.shutdown();
}

function postOnce(url, agent, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-thrift', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const collector = await startCollector();
  const rows = [];
  const ratios = [];
  const notes = [];
  const tracer = api.trace.getTracer('bench');

  // 1. requests per invocation
  const perInvocation = {};
  for (const spanCount of SPAN_COUNTS) {
    const handler = fc.tracedHandler(async () => work(tracer, spanCount));
    await handler(Buffer.alloc(0), fcContext(collector.url)); // builds the provider (cold start), not counted
    const before = (await collector.stats()).requests;
    for (let i = 0; i < INVOCATIONS_PER_SIZE; i++) await handler(Buffer.alloc(0), fcContext(collector.url));
    perInvocation[spanCount] = ((await collector.stats()).requests - before) / INVOCATIONS_PER_SIZE;
    rows.push({
      name: `tracedHandler, ${spanCount} span(s): HTTP requests per invocation`,
      value: perInvocation[spanCount],
      unit: 'requests',
    });
  }
  for (const spanCount of SPAN_COUNTS) {
    const before = (await collector.stats()).requests;
    const runs = Math.max(2, Math.floor(INVOCATIONS_PER_SIZE / 4));
    for (let i = 0; i < runs; i++)
      await officialSampleStyle(collector.url, fcContext(collector.url), spanCount);
    rows.push({
      name: `official sample style, ${spanCount} span(s): HTTP requests per invocation`,
      value: ((await collector.stats()).requests - before) / runs,
      unit: 'requests',
    });
  }
  for (const spanCount of SPAN_COUNTS) {
    ratios.push({
      name: `tracedHandler requests per invocation, ${spanCount} span(s)`,
      value: perInvocation[spanCount],
      target: '== 1',
      pass: perInvocation[spanCount] === 1,
    });
  }

  // 2. flush time added to an invocation vs the collector's plain round trip
  const spanCount = 10;
  let returnedAt = 0n;
  const timed = fc.tracedHandler(async () => {
    await work(tracer, spanCount);
    returnedAt = process.hrtime.bigint();
    return 'ok';
  });
  // the batch size of one invocation, for a plain POST of the same size
  const statsBefore = await collector.stats();
  for (let i = 0; i < 20; i++) await timed(Buffer.alloc(0), fcContext(collector.url));
  const statsAfter = await collector.stats();
  const batchBytes = Math.round(
    (statsAfter.bytes - statsBefore.bytes) / (statsAfter.requests - statsBefore.requests),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = Buffer.alloc(batchBytes, 1);
  await postOnce(collector.url, agent, body);
  // interleaved, so that the machine's load weighs on both measurements alike
  const added = [];
  const roundTrips = [];
  for (let i = 0; i < TIMING_RUNS; i++) {
    await timed(Buffer.alloc(0), fcContext(collector.url));
    added.push(Number(process.hrtime.bigint() - returnedAt) / 1e6);
    roundTrips.push(await postOnce(collector.url, agent, body));
  }
  agent.destroy();
  const addedMedian = median(added);
  const rttMedian = median(roundTrips);
  rows.push(
    {
      name: `flush wait added to an invocation (${spanCount} spans), median`,
      value: addedMedian,
      unit: 'ms',
    },
    {
      name: `collector plain round trip (POST of ${batchBytes} bytes, kept-alive), median`,
      value: rttMedian,
      unit: 'ms',
    },
  );
  const ratio = addedMedian / rttMedian;
  ratios.push({ name: 'flush wait / collector round trip', value: ratio, target: '<= 3', pass: ratio <= 3 });

  // 3. what a whole traced invocation costs beyond one POST round trip (its export)
  const event = Buffer.from('{"name":"bench"}');
  const overheads = [];
  for (const [spanCount, targetUs] of Object.entries(OVERHEAD_TARGETS_US).map(([n, t]) => [Number(n), t])) {
    const handler = fc.tracedHandler(async () => {
      for (let i = 1; i < spanCount; i++) tracer.startSpan('step').end();
      return 'ok';
    });
    for (let i = 0; i < 100; i++) await handler(event, fcContext(collector.url)); // warm-up
    const before = await collector.stats();
    for (let i = 0; i < 20; i++) await handler(event, fcContext(collector.url));
    const after = await collector.stats();
    const bodyBytes = Math.round((after.bytes - before.bytes) / (after.requests - before.requests));
    const postBody = Buffer.alloc(bodyBytes, 1);
    const postAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await postOnce(collector.url, postAgent, postBody);
    const beyond = [];
    const invocationUs = [];
    const roundTripUs = [];
    for (let i = 0; i < OVERHEAD_PAIRS; i++) {
      const context = fcContext(collector.url);
      const started = process.hrtime.bigint();
      await handler(event, context);
      const invocation = Number(process.hrtime.bigint() - started) / 1e3;
      const roundTrip = (await postOnce(collector.url, postAgent, postBody)) * 1e3;
      invocationUs.push(invocation);
      roundTripUs.push(roundTrip);
      beyond.push(invocation - roundTrip);
    }
    postAgent.destroy();
    const beyondUs = median(beyond);
    rows.push(
      {
        name: `tracedHandler, ${spanCount} span(s): whole invocation, median`,
        value: median(invocationUs),
        unit: 'us',
      },
      {
        name: `  POST of the same ${bodyBytes} bytes, kept-alive, median`,
        value: median(roundTripUs),
        unit: 'us',
      },
    );
    ratios.push({
      name: `tracedHandler ${spanCount} span(s), time beyond one POST round trip (us)`,
      value: beyondUs,
      target: `<= ${targetUs}`,
      pass: beyondUs <= targetUs,
    });
    overheads.push({ spanCount, beyondUs });
  }
  // For scale on this machine: what the SDK alone spends on a span (start + end, no processor).
  const bare = new sdk.BasicTracerProvider().getTracer('scale');
  const spanCosts = [];
  for (let round = 0; round < 30; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) bare.startSpan('step').end();
    spanCosts.push(Number(process.hrtime.bigint() - started) / 2000 / 1e3);
  }
  const sdkSpanUs = median(spanCosts.slice(5));
  rows.push({ name: 'for scale: the SDK alone, one span started and ended', value: sdkSpanUs, unit: 'us' });
  for (const { spanCount, beyondUs } of overheads) {
    ratios.push({
      name: `tracedHandler ${spanCount} span(s), time beyond one POST round trip less the SDK's own cost of the spans (us)`,
      value: beyondUs - spanCount * sdkSpanUs,
      target: 'for reading',
    });
  }

  // For reading: how much a bare SDK span (no processor) started and ended just before a plain POST adds to it,
  // beside what it costs alone: the interference of two workloads, which an invocation's figure includes too.
  {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = Buffer.alloc(761, 1);
    await postOnce(collector.url, agent, body);
    const spanBeforePost = [];
    for (let round = 0; round < 30; round++) {
      let started = process.hrtime.bigint();
      for (let i = 0; i < 50; i++) await postOnce(collector.url, agent, body);
      const plain = Number(process.hrtime.bigint() - started) / 50 / 1e3;
      started = process.hrtime.bigint();
      for (let i = 0; i < 50; i++) {
        bare.startSpan('step').end();
        await postOnce(collector.url, agent, body);
      }
      spanBeforePost.push(Number(process.hrtime.bigint() - started) / 50 / 1e3 - plain);
    }
    agent.destroy();
    ratios.push({
      name: 'a bare SDK span started and ended before a plain POST: time it adds to the POST (us), beside its own cost above',
      value: median(spanBeforePost),
      target: 'for reading',
    });
  }

  // 4. for reading: the same invocations with the export answered at once (no network), so what Tracery and the SDK
  // spend apart from the HTTP exchange shows. Last, since it replaces the sender's `post` for the rest of the run.
  const { HttpSender } = require(
    path.join(root, 'packages', 'commons', 'dist', 'transport', 'HttpSender.js'),
  );
  HttpSender.prototype.post = () => new Promise((resolve) => setImmediate(() => resolve({ status: 202 })));
  const immediate = () => new Promise((resolve) => setImmediate(resolve));
  for (const spanCount of Object.keys(OVERHEAD_TARGETS_US).map(Number)) {
    const handler = fc.tracedHandler(async () => {
      for (let i = 1; i < spanCount; i++) tracer.startSpan('step').end();
      return 'ok';
    });
    for (let i = 0; i < 100; i++) await handler(event, fcContext(collector.url)); // warm-up
    const offline = [];
    for (let i = 0; i < OVERHEAD_PAIRS; i++) {
      const started = process.hrtime.bigint();
      await handler(event, fcContext(collector.url));
      const invocation = Number(process.hrtime.bigint() - started) / 1e3;
      const tickStarted = process.hrtime.bigint();
      await immediate();
      offline.push(invocation - Number(process.hrtime.bigint() - tickStarted) / 1e3);
    }
    ratios.push({
      name: `tracedHandler ${spanCount} span(s), the export answered at once (no network): whole invocation less one event-loop turn (us)`,
      value: median(offline),
      target: 'for reading',
    });
  }

  notes.push(
    `${INVOCATIONS_PER_SIZE} invocations per span count; ${TIMING_RUNS} timed invocations and round trips, interleaved (medians).`,
    `Time beyond one POST round trip: ${OVERHEAD_PAIRS} interleaved pairs per span count (after 120 warm-up invocations), the median of (invocation - POST); the handler's body only makes its spans (span count - 1 children of the invocation span, started and ended at once); FC's context carries credentials (masked in every exported span) and a 16-byte JSON event; the load average at the end was ${require('node:os')
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}.`,
    'The flush wait runs from the handler returning to the wrapper resolving: invocation span end, BatchSpanProcessor flush, Thrift encoding, one HTTP POST and its 202.',
    "The official sample's shape sends one request per span and returns before they complete (counted here after the fact); its provider is built on every call.",
  );
  await collector.close();
  process.stdout.write(
    `${JSON.stringify({
      title: '@tracery/fc: requests and flush time per invocation',
      description:
        'A traced FC invocation against a local stand-in for the Jaeger collector (127.0.0.1, a process of its own): how many HTTP requests it sends, and how long the function waits for its spans to be exported before the result is handed back.',
      rows,
      ratios,
      notes,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
