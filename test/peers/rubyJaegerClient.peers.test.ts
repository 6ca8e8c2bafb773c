// Jaeger's Ruby client (Debian's ruby-jaeger-client 1.3, `Jaeger::Client.build` with a const sampler) and
// Tracery calling each other with its Jaeger text map codec, its Rack codec and its B3 Rack codec.
import {
  ALL_CASES,
  BAGGAGE,
  callOf,
  exchange,
  expectContinued,
  ruby,
  traceryForThisFile,
  type Call,
} from './peers';

const tracery = traceryForThisFile();

describe('Ruby jaeger-client with its Rack codec (OpenTracing::FORMAT_RACK)', () => {
  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('jaeger'), ruby('rack'), ALL_CASES);
    });

    it.each(ALL_CASES)('continues the %s trace under our span, flags and baggage kept', (name) => {
      expectContinued(callOf(calls, name));
      expect(callOf(calls, name).received.baggage).toEqual(BAGGAGE);
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(ruby('rack'), tracery.speaking('jaeger'), ALL_CASES);
    });

    it('writes a space in baggage as `+` and escapes the separators of uber-trace-id (%3A)', () => {
      expect(callOf(calls, 'sampled').sent.headers).toMatchObject({
        'uber-trace-id': expect.stringMatching(/^[0-9a-f]{1,16}%3A[0-9a-f]{1,16}%3A0%3A1$/),
        'uberctx-note': 'gold+silver',
        'uberctx-sum': '1%2B1',
      });
    });

    it.each(['sampled', 'debug'] as const)(
      'continues the %s trace under its span; `+` reads as a space, so the baggage is what Ruby set',
      (name) => {
        expectContinued(callOf(calls, name));
        expect(callOf(calls, name).received.baggage).toEqual(BAGGAGE);
      },
    );

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null });
    });
  });
});

describe('Ruby jaeger-client with its text map codec (OpenTracing::FORMAT_TEXT_MAP, values as they are)', () => {
  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('jaeger'), ruby('text_map'), ALL_CASES);
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
      calls = await exchange(ruby('text_map'), tracery.speaking('jaeger'), ALL_CASES);
    });

    it.each(['sampled', 'debug'] as const)(
      'continues the %s trace; a raw `+` in a baggage value reads as a space',
      (name) => {
        expectContinued(callOf(calls, name), { baggage: { ...BAGGAGE, sum: '1 1' } });
      },
    );
  });
});

describe('Ruby jaeger-client with its B3 Rack codec', () => {
  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('b3'), ruby('b3'), ALL_CASES);
    });

    it.each(['sampled', 'unsampled'] as const)('continues the %s trace under our span', (name) => {
      expectContinued(callOf(calls, name), { baggage: {} });
    });

    it('reads X-B3-Flags: 1 as debug without the sampled bit (B3 says debug implies sampled; it still reports the span)', () => {
      expectContinued(callOf(calls, 'debug'), { sampled: false, baggage: {} });
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(ruby('b3'), tracery.speaking('b3'), ALL_CASES);
    });

    it.each(['sampled', 'unsampled'] as const)(
      'continues the %s trace although Ruby sends X-B3-ParentSpanId: 0000000000000000 on its root span',
      (name) => {
        expect(callOf(calls, name).sent.headers['x-b3-parentspanid']).toBe('0000000000000000');
        expectContinued(callOf(calls, name), {
          ...(name === 'unsampled' ? { parentId: null } : {}),
          baggage: {},
        });
      },
    );

    it('starts a new trace for its debug trace: Ruby writes X-B3-Sampled: 3, which B3 does not allow (Tracery rejects malformed B3)', () => {
      const { sent, received } = callOf(calls, 'debug');
      expect(sent.headers['x-b3-sampled']).toBe('3');
      expect(received.traceId).not.toBe(sent.traceId);
      expect(received.parentId).toBeNull();
    });
  });
});
