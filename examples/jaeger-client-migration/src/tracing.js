// The tracer of both processes, set up as jaeger-client's README shows. Moving this program from
// jaeger-client to Tracery changed one line: the require below (it was `require('jaeger-client')`).
const { initTracer } = require('@tracery/opentracing');

/** One tracer per process, sending its spans to the collector at COLLECTOR_URL. */
function createTracer(serviceName) {
  const config = {
    serviceName,
    sampler: { type: 'const', param: 1 },
    reporter: {
      collectorEndpoint: process.env.COLLECTOR_URL || 'http://localhost:14268/api/traces',
      flushIntervalMs: 500,
    },
  };
  const options = {
    tags: { 'shop.version': '1.4.2', 'shop.replicas': 3 },
    logger: {
      info: (message) => console.log(`[tracer] ${message}`),
      error: (message) => console.error(`[tracer] ${message}`),
    },
  };
  return initTracer(config, options);
}

module.exports = { createTracer };
