// jaeger-client for Node (3.19, `initTracer` with a const sampler, FORMAT_HTTP_HEADERS) in its own process and
// Tracery calling each other in both directions.
import {
  ALL_CASES,
  BAGGAGE,
  callOf,
  exchange,
  expectContinued,
  node,
  traceryForThisFile,
  type Call,
} from './peers';

const tracery = traceryForThisFile();

const jaegerClient = () => node('jaegerClientPeer.js', 'http_headers');

describe('jaeger-client for Node with FORMAT_HTTP_HEADERS', () => {
  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('jaeger'), jaegerClient(), ALL_CASES);
    });

    it.each(ALL_CASES)('continues the %s trace under our span, flags and baggage kept', (name) => {
      expectContinued(callOf(calls, name));
      expect(callOf(calls, name).received.baggage).toEqual(BAGGAGE);
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(jaegerClient(), tracery.speaking('jaeger'), ALL_CASES);
    });

    it.each(['sampled', 'debug'] as const)(
      'continues the %s trace under its span, flags and baggage kept',
      (name) => {
        expectContinued(callOf(calls, name));
        expect(callOf(calls, name).received.baggage).toEqual(BAGGAGE);
      },
    );

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null });
    });

    it('keeps its 64-bit trace id and sends it on as 16 digits', () => {
      const { sent, received } = callOf(calls, 'sampled');
      const id64 = sent.headers['uber-trace-id'].split(':')[0];
      expect(received.traceId).toBe(id64.padStart(32, '0'));
      expect(received.onward!['uber-trace-id'].split(':')[0]).toBe(id64.padStart(16, '0'));
    });
  });
});
