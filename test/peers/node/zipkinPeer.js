// zipkin-js (0.22, B3 multi-header) as a peer of Tracery, in its own process, instrumenting as its users do:
// the server is an Express application with zipkin-instrumentation-express's `expressMiddleware({ tracer })`
// (it joins the caller's span, Zipkin's shared span), the client calls through zipkin's
// `Instrumentation.HttpClient` (a child span, its `X-B3-*` headers). Codec `b3`. Spans are recorded nowhere.
// B3 carries no baggage. Protocol: see peerCommon.js.
const http = require('http');
const express = require('express');
const { ExplicitContext, Instrumentation, Tracer, option, sampler } = require('zipkin');
const { expressMiddleware } = require('zipkin-instrumentation-express');
const peer = require('./peerCommon');

const [mode, codec, ...rest] = process.argv.slice(2);
peer.exitAtDeadline(`node zipkin-js ${mode}`);
if (codec !== 'b3') throw new Error(`unknown codec ${codec}`);

const recorder = { record() {} };

function newTracer(serviceName) {
  return new Tracer({
    ctxImpl: new ExplicitContext(),
    recorder,
    sampler: new sampler.Sampler(sampler.alwaysSample),
    localServiceName: serviceName,
  });
}

function report(id, headers) {
  return {
    traceId: peer.hexId(id.traceId, 32),
    spanId: peer.hexId(id.spanId, 16),
    parentId: peer.hexId(id.parentSpanId.getOrElse(null), 16),
    sampled: id.sampled.getOrElse(false),
    debug: id.isDebug(),
    baggage: {},
    headers: peer.traceHeaders(headers),
  };
}

function runServer(count) {
  const tracer = newTracer('node-zipkin-server');
  const app = express();
  app.use(expressMiddleware({ tracer }));
  let answered = 0;
  let server;
  app.get('*', (req, res) => {
    const body = report(tracer.id, req.headers);
    res.set('connection', 'close');
    res.json(body);
    res.on('finish', () => {
      if (++answered < count) return;
      server.close();
      server.closeAllConnections();
    });
  });
  server = http.createServer(app).listen(0, '127.0.0.1', () => peer.printListening(server));
}

async function runClient(url, cases) {
  const tracer = newTracer('node-zipkin-client');
  const instrumentation = new Instrumentation.HttpClient({ tracer, remoteServiceName: 'peer' });
  for (const name of cases) {
    const root = tracer.createRootId(new option.Some(name !== 'unsampled'), name === 'debug');
    const { headers, id } = tracer.letId(root, () => {
      const request = instrumentation.recordRequest({ headers: {} }, url, 'GET');
      return { headers: request.headers, id: tracer.id };
    });
    const received = await peer.get(url, headers);
    tracer.letId(id, () => instrumentation.recordResponse(id, 200));
    peer.printCall(name, report(id, headers), received);
  }
}

if (mode === 'server') {
  runServer(Number(rest[0]));
} else {
  runClient(rest[0], rest.slice(1)).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`node zipkin-js client failed: ${error}\n`);
      process.exit(1);
    },
  );
}
