import { validateHeaderValue } from 'node:http';
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerService } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';
import { TraceContextPropagator } from '../../src/propagation/TraceContextPropagator';
import { captureDiag } from '../support/inMemoryPipeline';
import { startTracedHop, type OutgoingHeaders } from '../support/tracedHop';

const TRACE = '12345678901234567890123456789012';
const SPAN = '1234567890123456';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;
const UNSAMPLED = `00-${TRACE}-${SPAN}-00`;
const OUTGOING_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-3]$/;

const propagator = new TraceContextPropagator();
/** The file's traced service, registered globally (its w3c propagator is the global one). */
let tracing: TracerService;
beforeAll(() => {
  tracing = new TracerService({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
});
afterAll(() => tracing.shutdown());
const extract = (carrier: unknown) => propagator.extract(ROOT_CONTEXT, carrier, headerGetter);

/** The fields of an outgoing traceparent, checked against the version-00 format first. */
function traceparentOf(headers: OutgoingHeaders): { traceId: string; spanId: string; flags: number } {
  const match = OUTGOING_TRACEPARENT.exec(headers.traceparent);
  if (match === null) throw new Error(`not a version-00 traceparent: ${headers.traceparent}`);
  return { traceId: match[1], spanId: match[2], flags: parseInt(headers.traceparent.slice(53), 16) };
}

/** The outgoing tracestate as ordered [key, value] pairs ([] when absent). */
function tracestateOf(headers: OutgoingHeaders): [string, string][] {
  if (headers.tracestate === undefined) return [];
  return headers.tracestate.split(',').map((member) => {
    const equals = member.indexOf('=');
    return [member.slice(0, equals), member.slice(equals + 1)];
  });
}

describe('TraceContextPropagator', () => {
  describe('when extracting', () => {
    it('reads traceparent and tracestate into a remote span context', () => {
      const spanContext = trace.getSpanContext(
        extract({ traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }),
      );
      expect(spanContext).toMatchObject({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      expect(spanContext?.traceState?.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    });

    it('treats a traceparent given as two values (an array) as malformed', () => {
      expect(trace.getSpanContext(extract({ traceparent: [TRACEPARENT, TRACEPARENT] }))).toBeUndefined();
      expect(trace.getSpanContext(extract({ traceparent: [TRACEPARENT] }))?.traceId).toBe(TRACE);
    });

    it('combines the values of a tracestate given as an array, in order', () => {
      const ctx = extract({ traceparent: TRACEPARENT, tracestate: ['foo=1,bar=2', 'baz=3'] });
      expect(trace.getSpanContext(ctx)?.traceState?.serialize()).toBe('foo=1,bar=2,baz=3');
    });

    it('does not read tracestate when traceparent is malformed', () => {
      const base = ROOT_CONTEXT;
      expect(propagator.extract(base, { traceparent: 'garbage', tracestate: 'foo=1' }, headerGetter)).toBe(
        base,
      );
    });

    it('drops the W3C reserved flags and keeps only the sampled bit in trace flags', () => {
      expect(trace.getSpanContext(extract({ traceparent: `00-${TRACE}-${SPAN}-ff` }))?.traceFlags).toBe(
        TraceFlags.SAMPLED,
      );
    });
  });

  describe('when injecting', () => {
    it('does not send a tracestate that another TraceState implementation holds malformed, reporting once', () => {
      const diagnostics = captureDiag();
      const traceState = {
        ...new TraceState('ok=1'),
        serialize: () => 'ok=1,BAD KEY=x',
      } as unknown as TraceState;
      const ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: 1,
        traceState,
      });
      const carrier: Record<string, string> = {};
      propagator.inject(ctx, carrier, headerSetter);
      propagator.inject(ctx, {}, headerSetter);
      diagnostics.restore();
      expect(carrier).toEqual({ traceparent: TRACEPARENT });
      expect(diagnostics.messages.filter((m) => m.includes('tracestate'))).toHaveLength(1);
    });

    it('writes upper-case ids of a span context lower-case (the spec rejects upper-case)', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: 'ABCDEF'.padEnd(32, '1'),
        spanId: 'ABCDEF'.padEnd(16, '1'),
        traceFlags: 1,
      });
      const carrier: Record<string, string> = {};
      propagator.inject(ctx, carrier, headerSetter);
      expect(carrier.traceparent).toBe(`00-${'abcdef'.padEnd(32, '1')}-${'abcdef'.padEnd(16, '1')}-01`);
    });

    it('writes what OpenTelemetry’s own W3C propagator reads back as the same span context', () => {
      const ctx = extract({ traceparent: UNSAMPLED, tracestate: 'congo=t61rcWkgMzE' });
      const carrier: Record<string, string> = {};
      propagator.inject(ctx, carrier, headerSetter);
      const readBack = trace.getSpanContext(
        new W3CTraceContextPropagator().extract(ROOT_CONTEXT, carrier, headerGetter),
      );
      expect(readBack).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
      expect(readBack?.traceState?.get('congo')).toBe('t61rcWkgMzE');
    });
  });
});

/**
 * The rules the W3C Trace Context test suite (github.com/w3c/trace-context, test/) checks, restated from the
 * spec and tested the way the suite does: a request with these headers reaches a traced HTTP service, which
 * makes an outgoing call from the span it started; the headers of that call are what is checked.
 */
describe('W3C Trace Context conformance, over HTTP', () => {
  let exporter: InMemorySpanExporter;
  let tracing: TracerService;
  let service: Awaited<ReturnType<typeof startTracedHop>>;
  const hop = (headers: [string, string][]) => service.hop(headers, 'w3c');

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = new TracerService({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      registerGlobal: false,
    });
    service = await startTracedHop(tracing);
  });
  afterAll(async () => {
    await service.close();
    await tracing.shutdown();
  });

  /** Asserts the outgoing call continues the incoming trace (and is a new span of it). */
  async function continues(headers: [string, string][]): Promise<OutgoingHeaders> {
    const out = await hop(headers);
    const incoming = headers.find(([name]) => name.toLowerCase() === 'traceparent')![1].trim();
    expect(traceparentOf(out).traceId).toBe(incoming.slice(3, 35));
    expect(traceparentOf(out).spanId).not.toBe(incoming.slice(36, 52));
    return out;
  }

  /** Asserts the outgoing call starts a new trace, and carries no tracestate. */
  async function restarts(headers: [string, string][]): Promise<void> {
    const out = await hop(headers);
    expect(traceparentOf(out).traceId).not.toBe(TRACE);
    expect(out.tracestate).toBeUndefined();
  }

  describe('traceparent', () => {
    it('starts a valid trace when none is sent, and a new span id on every call', async () => {
      const first = await hop([]);
      const second = await hop([]);
      expect(traceparentOf(first).spanId).not.toBe(traceparentOf(second).spanId);
    });

    it('continues the trace of a valid traceparent', () => continues([['traceparent', TRACEPARENT]]));

    it.each(['TraceParent', 'TrAcEpArEnT', 'TRACEPARENT'])(
      'reads the header name %s case-insensitively',
      (name) => continues([[name, TRACEPARENT]]),
    );

    it.each(['trace-parent', 'trace.parent'])('ignores a header named %s', (name) =>
      restarts([[name, TRACEPARENT]]),
    );

    it('restarts the trace when traceparent is sent twice', () =>
      restarts([
        ['traceparent', `00-${TRACE.slice(0, 31)}1-${SPAN}-01`],
        ['traceparent', TRACEPARENT],
      ]));

    it.each([
      ['a space before', ` ${TRACEPARENT}`],
      ['a tab before', `\t${TRACEPARENT}`],
      ['a space after', `${TRACEPARENT} `],
      ['a tab after', `${TRACEPARENT}\t`],
      ['spaces and tabs around', `\t ${TRACEPARENT} \t`],
    ])('ignores optional white space: %s', (_label, value) => continues([['traceparent', value]]));

    it.each([`cc-${TRACE}-${SPAN}-01`, `cc-${TRACE}-${SPAN}-01-what-the-future-will-be-like`])(
      'continues a later version it can read (%s) and answers in version 00',
      async (value) => {
        const out = await continues([['traceparent', value]]);
        expect(out.traceparent.startsWith('00-')).toBe(true);
      },
    );

    it.each([
      `${TRACEPARENT}.`,
      `${TRACEPARENT}-what-the-future-will-be-like`,
      `cc-${TRACE}-${SPAN}-01.what-the-future-will-be-like`,
      `ff-${TRACE}-${SPAN}-01`,
      `.0-${TRACE}-${SPAN}-01`,
      `0.-${TRACE}-${SPAN}-01`,
      `000-${TRACE}-${SPAN}-01`,
      `0000-${TRACE}-${SPAN}-01`,
      `0-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-.${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE.slice(0, 31)}.-${SPAN}-01`,
      `00-${TRACE}3-${SPAN}-01`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-.${SPAN.slice(1)}-01`,
      `00-${TRACE}-${SPAN.slice(0, 15)}.-01`,
      `00-${TRACE}-${SPAN}7-01`,
      `00-${TRACE}-${SPAN.slice(1)}-01`,
      `00-${TRACE}-${SPAN}-.0`,
      `00-${TRACE}-${SPAN}-0.`,
      `00-${TRACE}-${SPAN}-001`,
      `00-${TRACE}-${SPAN}-1`,
    ])('restarts the trace for the malformed traceparent %s', (value) =>
      restarts([
        ['traceparent', value],
        ['tracestate', 'foo=1'],
      ]),
    );

    it('gives each call a new span id under an all-zero trace id, in a new trace', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const out = await hop([['traceparent', `00-${'0'.repeat(32)}-${SPAN}-01`]]);
        expect(traceparentOf(out).traceId).not.toBe('0'.repeat(32));
        ids.add(traceparentOf(out).spanId);
      }
      expect(ids.size).toBe(3);
    });
  });

  describe('the random-trace-id flag (Level 2)', () => {
    it.each([
      ['02', 0x02],
      ['03', 0x03],
      ['01', 0x01],
      ['00', 0x00],
    ])('leaves as it came: -%s in, the same random bit out', async (flags, expected) => {
      const out = await continues([['traceparent', `00-${TRACE}-${SPAN}-${flags}`]]);
      expect(traceparentOf(out).flags & 0x02).toBe(expected & 0x02);
    });

    it('is not sent for a new trace started under the flagged one', async () => {
      const outgoing: Record<string, unknown> = {};
      const parent = tracing.extract({ traceparent: `00-${TRACE}-${SPAN}-03` }, 'w3c');
      tracing.withSpan('new root', () => tracing.inject(outgoing, 'w3c'), { parent, root: true });
      expect(traceparentOf(outgoing as OutgoingHeaders).flags & 0x02).toBe(0);
    });
  });

  describe('tracestate', () => {
    it('is not sent on when traceparent is missing', async () => {
      expect((await hop([['tracestate', 'foo=1']])).tracestate).toBeUndefined();
      expect((await hop([['tracestate', 'foo=1,bar=2']])).tracestate).toBeUndefined();
    });

    it('is sent on with the trace it came with', async () => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        ['tracestate', 'foo=1,bar=2'],
      ]);
      expect(tracestateOf(out)).toEqual([
        ['foo', '1'],
        ['bar', '2'],
      ]);
    });

    it.each(['TraceState', 'TrAcEsTaTe', 'TRACESTATE'])('is read under the header name %s', async (name) => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        [name, 'foo=1'],
      ]);
      expect(tracestateOf(out)).toEqual([['foo', '1']]);
    });

    it.each(['trace-state', 'trace.state'])('is not read under the header name %s', async (name) => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        [name, 'foo=1'],
      ]);
      expect(out.tracestate).toBeUndefined();
    });

    it('accepts an empty header and does not send one', async () => {
      expect(
        (
          await continues([
            ['traceparent', UNSAMPLED],
            ['tracestate', ''],
          ])
        ).tracestate,
      ).toBeUndefined();
      for (const order of [
        ['foo=1', ''],
        ['', 'foo=1'],
      ]) {
        const out = await continues([
          ['traceparent', UNSAMPLED],
          ...order.map((v) => ['tracestate', v] as [string, string]),
        ]);
        expect(tracestateOf(out)).toEqual([['foo', '1']]);
      }
    });

    it('combines several header fields in order', async () => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        ['tracestate', 'foo=1,bar=2'],
        ['tracestate', 'rojo=1,congo=2'],
        ['tracestate', 'baz=3'],
      ]);
      expect(out.tracestate).toBe('foo=1,bar=2,rojo=1,congo=2,baz=3');
    });

    it.each([
      [['foo=1,foo=1'], 'foo=1'],
      [['foo=1,foo=2'], 'foo=1'],
      [['foo=1', 'foo=1'], 'foo=1'],
      [['foo=1', 'foo=2'], 'foo=1'],
    ])('keeps one member of a repeated key (%j)', async (values, expected) => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        ...values.map((v) => ['tracestate', v] as [string, string]),
      ]);
      expect(out.tracestate).toBe(expected);
    });

    it('ignores optional white space around members', async () => {
      for (const value of [
        'foo=1 \t , \t bar=2, \t baz=3',
        'foo=1\t \t,\t \tbar=2,\t \tbaz=3',
        ' foo=1',
        '\tfoo=1',
        'foo=1 ',
        'foo=1\t',
        '\t foo=1 \t',
      ]) {
        const out = await continues([
          ['traceparent', UNSAMPLED],
          ['tracestate', value],
        ]);
        expect(Object.fromEntries(tracestateOf(out))).toMatchObject({ foo: '1' });
      }
    });

    it('keeps every character the grammar allows', async () => {
      const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
      let value = '';
      for (let code = 0x20; code <= 0x7e; code++)
        if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
      for (const k of [key, `${key}@a-z0-9_-*/`]) {
        const out = await continues([
          ['traceparent', UNSAMPLED],
          ['tracestate', `${k}=${value}`],
        ]);
        expect(tracestateOf(out)).toEqual([[k, value]]);
      }
    });

    it('keeps 32 members sent in several fields, and drops 33 whole', async () => {
      const fields = (last: string): [string, string][] => [
        ['traceparent', UNSAMPLED],
        [
          'tracestate',
          'bar01=01,bar02=02,bar03=03,bar04=04,bar05=05,bar06=06,bar07=07,bar08=08,bar09=09,bar10=10',
        ],
        [
          'tracestate',
          'bar11=11,bar12=12,bar13=13,bar14=14,bar15=15,bar16=16,bar17=17,bar18=18,bar19=19,bar20=20',
        ],
        [
          'tracestate',
          'bar21=21,bar22=22,bar23=23,bar24=24,bar25=25,bar26=26,bar27=27,bar28=28,bar29=29,bar30=30',
        ],
        ['tracestate', last],
      ];
      expect(tracestateOf(await continues(fields('bar31=31,bar32=32')))).toHaveLength(32);
      expect((await continues(fields('bar31=31,bar32=32,bar33=33'))).tracestate).toBeUndefined();
    });

    it.each([
      'z'.repeat(256),
      `${'t'.repeat(241)}@${'v'.repeat(14)}`,
      `${'t'.repeat(242)}@v`,
      `t@${'v'.repeat(15)}`,
      'foo@',
      'foo@@bar',
      'foo@bar@baz',
    ])('keeps the key %s with the other members', async (key) => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        ['tracestate', 'foo=1'],
        ['tracestate', `${key}=1`],
      ]);
      expect(Object.fromEntries(tracestateOf(out))).toEqual({ foo: '1', [key]: '1' });
    });

    it.each([
      ['an illegal character in a key', ['foo =1']],
      ['an upper-case key', ['FOO=1']],
      ['a dot in a key', ['foo.bar=1']],
      ['a key starting with an at sign', ['@foo=1,bar=2']],
      ['a key of 257 characters', ['foo=1', `${'z'.repeat(257)}=1`]],
      ['an equals sign in a value', ['foo=bar=baz']],
      ['an empty value', ['foo=,bar=3']],
    ])('drops the whole header for %s', async (_label, values) => {
      const out = await continues([
        ['traceparent', UNSAMPLED],
        ...values.map((v) => ['tracestate', v] as [string, string]),
      ]);
      expect(out.tracestate).toBeUndefined();
    });
  });

  it('writes only header values Node accepts', async () => {
    const out = await continues([
      ['traceparent', TRACEPARENT],
      ['tracestate', 'foo=1'],
    ]);
    for (const [name, value] of Object.entries(out))
      expect(() => validateHeaderValue(name, value)).not.toThrow();
  });
});

describe('createPropagator("w3c") as the global propagator', () => {
  it('never throws from propagation.inject for baggage that cannot be encoded (a lone surrogate)', () => {
    const diagnostics = captureDiag();
    const baggage = propagation.createBaggage({ bad: { value: 'a\ud800b' }, good: { value: 'gold silver' } });
    const spanContext = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED };
    const ctx = propagation.setBaggage(trace.setSpanContext(context.active(), spanContext), baggage);
    const carrier: Record<string, string> = {};
    expect(() => propagation.inject(ctx, carrier)).not.toThrow();
    diagnostics.restore();
    expect(carrier).toEqual({ traceparent: TRACEPARENT, baggage: 'good=gold%20silver' });
    expect(diagnostics.messages.some((m) => m.includes('baggage'))).toBe(true);
  });

  it('never throws from propagation.extract on a carrier whose getter throws', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile');
        },
        ownKeys: () => {
          throw new Error('hostile');
        },
      },
    );
    const base = context.active();
    const diagnostics = captureDiag();
    expect(propagation.extract(base, hostile)).toBe(base);
    diagnostics.restore();
  });
});
