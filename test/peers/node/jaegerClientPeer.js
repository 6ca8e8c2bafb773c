// jaeger-client for Node (3.19, OpenTracing) as a peer of Tracery, in its own process, set up as its users do:
// `initTracer({ serviceName, sampler: { type: 'const', param } }, options)`, inject/extract in
// FORMAT_HTTP_HEADERS (codec `http_headers`: URL-encoded baggage). Spans are not reported (a no-op reporter).
// Protocol: see peerCommon.js.
const http = require('http');
const { initTracer, NoopReporter } = require('jaeger-client');
const { FORMAT_HTTP_HEADERS } = require('opentracing');
const peer = require('./peerCommon');

const [mode, codec, ...rest] = process.argv.slice(2);
peer.exitAtDeadline(`node jaeger-client ${mode}`);
if (codec !== 'http_headers') throw new Error(`unknown codec ${codec}`);

const logger = { info() {}, error: (message) => process.stderr.write(`jaeger-client: ${message}\n`) };

function tracerFor(sampled) {
  const config = { serviceName: `node-jaeger-${mode}`, sampler: { type: 'const', param: sampled ? 1 : 0 } };
  return initTracer(config, { reporter: new NoopReporter(), logger });
}

function report(span, headers) {
  const context = span.context();
  return {
    traceId: peer.hexId(context.traceIdStr, 32),
    spanId: peer.hexId(context.spanIdStr, 16),
    parentId: peer.hexId(context.parentIdStr, 16),
    sampled: context.isSampled(),
    debug: context.isDebug(),
    baggage: { ...context.baggage },
    headers: peer.traceHeaders(headers),
  };
}

function runServer(count) {
  const tracer = tracerFor(true);
  let answered = 0;
  const server = http.createServer((req, res) => {
    const parent = tracer.extract(FORMAT_HTTP_HEADERS, req.headers);
    const span = tracer.startSpan(`GET ${req.url}`, { childOf: parent, tags: { 'span.kind': 'server' } });
    const body = JSON.stringify(report(span, req.headers));
    span.finish();
    res.setHeader('content-type', 'application/json');
    res.end(body, () => {
      if (++answered < count) return;
      server.close();
      server.closeAllConnections();
      tracer.close(() => process.exit(0));
    });
  });
  server.listen(0, '127.0.0.1', () => peer.printListening(server));
}

async function runClient(url, cases) {
  const tracers = { sampled: tracerFor(true), unsampled: tracerFor(false) };
  for (const name of cases) {
    const tracer = name === 'unsampled' ? tracers.unsampled : tracers.sampled;
    // sampling.priority > 0 makes a debug trace (Jaeger's flag 0x02), as OpenTracing says.
    const tags = { 'span.kind': 'client', ...(name === 'debug' ? { 'sampling.priority': 1 } : {}) };
    const span = tracer.startSpan('GET /peer', { tags });
    for (const [key, value] of Object.entries(peer.BAGGAGE)) span.setBaggageItem(key, value);
    const headers = {};
    tracer.inject(span.context(), FORMAT_HTTP_HEADERS, headers);
    const sent = report(span, headers);
    const received = await peer.get(url, headers);
    span.finish();
    peer.printCall(name, sent, received);
  }
  await Promise.all(Object.values(tracers).map((tracer) => new Promise((resolve) => tracer.close(resolve))));
}

if (mode === 'server') {
  runServer(Number(rest[0]));
} else {
  runClient(rest[0], rest.slice(1)).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`node jaeger-client client failed: ${error}\n`);
      process.exit(1);
    },
  );
}
