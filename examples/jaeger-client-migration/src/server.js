// The price service: continues the caller's trace from the request headers, reads the caller's baggage,
// answers one request, then closes its tracer (flushing its spans) and exits.
const http = require('http');
const { FORMAT_HTTP_HEADERS, Tags } = require('opentracing');
const { createTracer } = require('./tracing');

const tracer = createTracer('price-service');

const server = http.createServer((req, res) => {
  const parent = tracer.extract(FORMAT_HTTP_HEADERS, req.headers);
  const span = tracer.startSpan('GET /price', {
    childOf: parent,
    tags: {
      [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER,
      [Tags.HTTP_METHOD]: req.method,
      [Tags.HTTP_URL]: req.url,
    },
  });
  const customer = span.getBaggageItem('customer');

  const lookup = tracer.startSpan('price.lookup', {
    childOf: span,
    tags: { 'db.type': 'redis', 'cache.hit': false },
  });
  lookup.log({ event: 'cache.miss', key: 'sku-42' });
  const price = customer === 'acme' ? 90.5 : 100;
  lookup.setTag('price.amount', price);
  lookup.finish();

  span.setTag(Tags.HTTP_STATUS_CODE, 200);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ sku: 'sku-42', price, customer }));
  span.finish();

  server.close(() => tracer.close(() => console.log('server closed')));
});

server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
