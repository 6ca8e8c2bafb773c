// zipkin-js (0.22: zipkin's HttpClient instrumentation, zipkin-instrumentation-express's middleware) in its own
// process and Tracery (`b3`, X-B3-* headers) calling each other. Zipkin joins the caller's span on the server
// side (a shared span); B3 carries no baggage.
import { ALL_CASES, callOf, exchange, expectContinued, node, traceryForThisFile, type Call } from './peers';

const tracery = traceryForThisFile();

const zipkin = () => node('zipkinPeer.js', 'b3');

describe('zipkin-js', () => {
  describe('when a Tracery client calls its Express server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('b3'), zipkin(), ALL_CASES);
    });

    it.each(ALL_CASES)('joins our span in the %s trace (Zipkin shared span), flags kept', (name) => {
      expectContinued(callOf(calls, name), { shared: true, baggage: {} });
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(zipkin(), tracery.speaking('b3'), ALL_CASES);
    });

    it.each(['sampled', 'debug'] as const)('continues the %s trace under its client span', (name) => {
      expectContinued(callOf(calls, name));
    });

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null });
    });

    it('keeps its 64-bit trace id, and sends it on in B3 as 32 digits (high half zero), as OpenTelemetry does', () => {
      // 16 and 32 digits are the same trace to Zipkin, Jaeger and the B3 readers tested here; Tracery's Jaeger
      // format writes such an id as 16 digits (see the Jaeger clients' tests).
      const { sent, received } = callOf(calls, 'sampled');
      expect(sent.headers['x-b3-traceid']).toMatch(/^[0-9a-f]{16}$/);
      expect(received.traceId).toBe(sent.headers['x-b3-traceid'].padStart(32, '0'));
      expect(received.onward!['x-b3-traceid']).toBe(sent.headers['x-b3-traceid'].padStart(32, '0'));
    });
  });
});
