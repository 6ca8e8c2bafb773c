// aiozipkin 1.1 (B3, its aiohttp middleware and client trace config) and Tracery calling each other. Zipkin
// joins the caller's span on the server side (a shared span: the same span id); B3 carries no baggage.
import { ALL_CASES, callOf, exchange, expectContinued, python, traceryForThisFile, type Call } from './peers';

const tracery = traceryForThisFile();

const aiozipkin = () => python('aiozipkin_peer.py', 'b3');

describe('aiozipkin', () => {
  describe('when a Tracery client calls its server with X-B3-* headers', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('b3'), aiozipkin(), ALL_CASES);
    });

    it.each(['sampled', 'unsampled'] as const)(
      'joins our span in the %s trace (Zipkin shared span)',
      (name) => {
        expectContinued(callOf(calls, name), { shared: true, baggage: {} });
      },
    );

    it('misses the debug flag of X-B3-Flags: 1 (it looks the header up in the wrong case) and samples by its own rate', () => {
      expect(callOf(calls, 'debug').sent.headers).toMatchObject({ 'x-b3-flags': '1' });
      expect(callOf(calls, 'debug').sent.headers['x-b3-sampled']).toBeUndefined();
      expectContinued(callOf(calls, 'debug'), { shared: true, debug: false, baggage: {} });
    });
  });

  describe('when a Tracery client calls its server with the b3 header', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('b3single'), aiozipkin(), ALL_CASES);
    });

    it.each(ALL_CASES)('joins our span in the %s trace, debug included (b3: …-d)', (name) => {
      expectContinued(callOf(calls, name), { shared: true, baggage: {} });
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(aiozipkin(), tracery.speaking('b3'), ALL_CASES);
    });

    it('continues the sampled trace under its client span, keeping its 128-bit trace id', () => {
      expect(callOf(calls, 'sampled').sent.traceId).toMatch(/^[0-9a-f]{32}$/);
      expectContinued(callOf(calls, 'sampled'));
    });

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null });
    });

    it('gets no debug flag: aiozipkin always writes X-B3-Flags: 0 (the trace stays sampled)', () => {
      expect(callOf(calls, 'debug').sent.headers).toMatchObject({ 'x-b3-flags': '0', 'x-b3-sampled': '1' });
      expectContinued(callOf(calls, 'debug'), { debug: false });
    });
  });
});
