// OpenTelemetry Python 1.12 (as Function Compute's Python sample pins it) and Tracery calling each other: W3C
// Trace Context and baggage both ways, and Tracery's `uber-trace-id` read by the Python side the way FC's
// Python sample reads FC's `span_context` string (the same Jaeger text format).
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

/** OpenTelemetry Python 1.12 refuses a baggage value with a space (`gold silver`), whichever way it comes. */
const { note: _refused, ...BAGGAGE_PYTHON_KEEPS } = BAGGAGE;

describe('OpenTelemetry Python with W3C Trace Context and baggage', () => {
  describe('when a Tracery client calls its server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(tracery.speaking('w3c'), python('otel_peer.py', 'w3c'), ALL_CASES);
    });

    it('continues the sampled trace under our span', () => {
      expectContinued(callOf(calls, 'sampled'), { debug: null, baggage: BAGGAGE_PYTHON_KEEPS });
    });

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), {
        parentId: null,
        debug: null,
        baggage: BAGGAGE_PYTHON_KEEPS,
      });
    });

    it('receives a debug trace as sampled (W3C has no debug flag: Tracery writes -01)', () => {
      expect(callOf(calls, 'debug').sent.headers.traceparent).toMatch(/-01$/);
      expectContinued(callOf(calls, 'debug'), { debug: null, baggage: BAGGAGE_PYTHON_KEEPS });
    });
  });

  describe('when its client calls a Tracery server', () => {
    let calls: Call[];
    beforeAll(async () => {
      calls = await exchange(python('otel_peer.py', 'w3c'), tracery.speaking('w3c'), [
        'sampled',
        'unsampled',
      ]);
    });

    it('sends the baggage it keeps (a space refused, a `+` as %2B)', () => {
      expect(callOf(calls, 'sampled').sent.baggage).toEqual(BAGGAGE_PYTHON_KEEPS);
      expect(callOf(calls, 'sampled').sent.headers.baggage).toBe('tenant=acme,sum=1%2B1');
    });

    it('continues the sampled trace under its span, baggage kept', () => {
      expectContinued(callOf(calls, 'sampled'), { debug: false });
    });

    it('continues the unsampled trace without recording a span', () => {
      expectContinued(callOf(calls, 'unsampled'), { parentId: null, debug: false });
    });
  });
});

describe("OpenTelemetry Python reading Tracery's uber-trace-id as FC's Python sample reads span_context", () => {
  let calls: Call[];
  beforeAll(async () => {
    calls = await exchange(tracery.speaking('jaeger'), python('otel_peer.py', 'fc'), ALL_CASES);
  });

  it.each(['sampled', 'debug'] as const)(
    'continues the %s trace under our span (the string splits into the same ids)',
    (name) => {
      expectContinued(callOf(calls, name), { debug: null, baggage: {} });
    },
  );

  it('records a trace Tracery did not sample: the sample forces the sampled flag (its parent is missing then)', () => {
    expect(callOf(calls, 'unsampled').sent.headers['uber-trace-id']).toMatch(/:0$/);
    expectContinued(callOf(calls, 'unsampled'), { sampled: true, debug: null, baggage: {} });
  });
});
