// The shop: a checkout span carrying baggage and flagged for debugging, a client span whose context goes to the
// price service in the request headers, logs and tags of every type, a failed coupon lookup and a follow-up
// span; then it closes its tracer (flushing its spans) and exits.
const http = require('http');
const { FORMAT_HTTP_HEADERS, Tags, followsFrom } = require('opentracing');
const { createTracer } = require('./tracing');

const url = process.argv[2];
const tracer = createTracer('shop');

// sampling.priority 1: "debug this order". Its whole trace, in both processes, is sampled whatever the sampler
// says and travels with Jaeger's debug flag (uber-trace-id ...:3); its spans arrive with flags 3.
const checkout = tracer.startSpan('checkout', {
  tags: { 'order.id': 'o-1001', 'order.items': 2, 'order.gift': true, [Tags.SAMPLING_PRIORITY]: 1 },
});
checkout.setBaggageItem('customer', 'acme');
checkout.log({ event: 'cart.loaded', items: 2 });

const coupon = tracer.startSpan('coupon.check', { childOf: checkout });
coupon.setTag(Tags.ERROR, true);
coupon.log({ event: 'error', message: 'coupon SPRING expired' });
coupon.finish();

const call = tracer.startSpan('GET /price', {
  childOf: checkout,
  tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_CLIENT, [Tags.HTTP_METHOD]: 'GET', [Tags.HTTP_URL]: url },
});
const headers = {};
tracer.inject(call, FORMAT_HTTP_HEADERS, headers);

http
  .get(url, { headers }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => {
      call.setTag(Tags.HTTP_STATUS_CODE, res.statusCode);
      call.finish();

      const quote = JSON.parse(body);
      checkout.log({ event: 'price.received', price: quote.price });
      checkout.log({ message: 'order placed' });
      checkout.setTag('order.total', quote.price * 2);
      checkout.finish();

      const receipt = tracer.startSpan('receipt.send', { references: [followsFrom(checkout.context())] });
      receipt.logEvent('queued', { channel: 'email' });
      receipt.finish();

      console.log(`price for ${quote.customer}: ${quote.price}`);
      tracer.close(() => console.log('client closed'));
    });
  })
  .on('error', (error) => {
    console.error(`price service unreachable: ${error.message}`);
    call.finish();
    checkout.finish();
    tracer.close(() => {
      process.exitCode = 1;
    });
  });
