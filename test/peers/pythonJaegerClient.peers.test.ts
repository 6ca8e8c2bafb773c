// Jaeger's Python client (jaeger-client 4.8, `Config` with a const sampler) and Tracery (`jaeger` format)
// calling each other in both directions, in Format.HTTP_HEADERS and Format.TEXT_MAP.
import {
  ALL_CASES,
  BAGGAGE,
  callOf,
  exchange,
  expectContinued,
  python,
  traceryForThisFile,
  type Call,
} from './peers';

const tracery = traceryForThisFile();

describe('Python jaeger-client with Format.HTTP_HEADERS', () => {
  const peer = () => python('jaeger_peer.py', 'http_headers');

  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('jaeger'), peer(), ALL_CASES);
    });

    it.each(ALL_CASES)(
      'continues the %s trace: its span is a child of ours, flags and baggage kept',
      (name) => {
        expectContinued(callOf(calls, name));
        expect(callOf(calls, name).received.baggage).toEqual(BAGGAGE);
      },
    );

    it("keeps Tracery's 128-bit trace id", () => {
      const { sent, received } = callOf(calls, 'sampled');
      expect(sent.traceId).toMatch(/^(?!0{16})[0-9a-f]{32}$/);
      expect(received.traceId).toBe(sent.traceId);
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(peer(), tracery.speaking('jaeger'), ALL_CASES);
    });

    it.each(['sampled', 'debug'] as const)(
      'continues the %s trace under its span, flags and baggage kept',
      (name) => {
        expectContinued(callOf(calls, name));
      },
    );

    it('continues the unsampled trace without recording a span (so no parent to show)', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null });
    });

    it('keeps its 64-bit trace id (padded to 32 digits inside) and sends it on as 64 bits, 16 digits', () => {
      const { sent, received } = callOf(calls, 'sampled');
      const id64 = sent.headers['uber-trace-id'].split(':')[0];
      expect(id64).toMatch(/^[0-9a-f]{1,16}$/);
      expect(received.traceId).toBe(id64.padStart(32, '0'));
      expect(received.onward!['uber-trace-id']).toMatch(
        new RegExp(`^${id64.padStart(16, '0')}:[0-9a-f]{16}:0:1$`),
      );
    });

    it('sends the debug flag on (Jaeger flags 3)', () => {
      expect(callOf(calls, 'debug').received.onward!['uber-trace-id']).toMatch(/:3$/);
    });
  });
});

describe('Python jaeger-client with Format.TEXT_MAP (baggage values as they are, not URL-encoded)', () => {
  const peer = () => python('jaeger_peer.py', 'text_map');

  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('jaeger'), peer(), ALL_CASES);
    });

    it.each(ALL_CASES)(
      'continues the %s trace; the baggage arrives still URL-encoded as Tracery wrote it',
      (name) => {
        expectContinued(callOf(calls, name), {
          baggage: { tenant: 'acme', note: 'gold%20silver', sum: '1%2B1' },
        });
      },
    );
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(peer(), tracery.speaking('jaeger'), ALL_CASES);
    });

    it.each(['sampled', 'debug'] as const)(
      'continues the %s trace; a raw `+` in a baggage value reads as a space (the HTTP rule Tracery follows)',
      (name) => {
        expect(callOf(calls, name).sent.headers['uberctx-sum']).toBe('1+1');
        expectContinued(callOf(calls, name), { baggage: { ...BAGGAGE, sum: '1 1' } });
      },
    );
  });
});
