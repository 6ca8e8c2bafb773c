import { context, ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator as OpenTelemetryB3Propagator } from '@opentelemetry/propagator-b3';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerService, type PropagationFormat } from '@tracery/core';
import { B3Propagator } from '../../src/propagation/B3Propagator';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';
import { isDebug } from '../../src/propagation/samplingSignals';
import { startTracedHop } from '../support/tracedHop';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const TRACE_64 = '8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const PARENT = '00f067aa0ba902b7';

const single = new B3Propagator('single');
const multi = new B3Propagator('multi');
const extract = (carrier: unknown, base: Context = ROOT_CONTEXT) =>
  single.extract(base, carrier, headerGetter);
const spanContextOf = (carrier: unknown) => trace.getSpanContext(extract(carrier));

let exporter: InMemorySpanExporter;
let tracing: TracerService;
beforeAll(() => {
  exporter = new InMemorySpanExporter();
  tracing = new TracerService({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    sampler: { type: 'const', param: 0 },
  });
});
afterAll(() => tracing.shutdown());

describe('B3Propagator', () => {
  describe('when the b3 header is well formed', () => {
    it.each([
      ['a 128-bit trace id, sampled', `${TRACE}-${SPAN}-1`, TRACE, TraceFlags.SAMPLED],
      [
        'a 64-bit trace id (padded to 32 digits)',
        `${TRACE_64}-${SPAN}-1`,
        `0000000000000000${TRACE_64}`,
        TraceFlags.SAMPLED,
      ],
      ['a deny decision', `${TRACE}-${SPAN}-0`, TRACE, TraceFlags.NONE],
      ['a parent span id', `${TRACE}-${SPAN}-1-${PARENT}`, TRACE, TraceFlags.SAMPLED],
      // Jaeger's convention for "no parent"; its Ruby client writes it so on every root span
      [
        'an all-zero parent span id (none)',
        `${TRACE}-${SPAN}-1-${'0'.repeat(16)}`,
        TRACE,
        TraceFlags.SAMPLED,
      ],
      ['debug (sampled)', `${TRACE}-${SPAN}-d`, TRACE, TraceFlags.SAMPLED],
      [
        'upper-case ids (read, kept lower-case)',
        `${TRACE.toUpperCase()}-${SPAN.toUpperCase()}-1`,
        TRACE,
        TraceFlags.SAMPLED,
      ],
    ])('reads %s', (_label, value, traceId, traceFlags) => {
      expect(spanContextOf({ b3: value })).toEqual({ traceId, spanId: SPAN, traceFlags, isRemote: true });
    });
  });

  describe('when the b3 header is malformed, the context is unchanged', () => {
    it.each([
      // issue 10: a 31-digit trace id became another trace (its last 16 digits) under OpenTelemetry's parser
      [
        'a 31-hex-digit trace id (issue 10: became trace 0000000000000000 8448eb211c80319c)',
        `${TRACE.slice(1)}-${SPAN}-1`,
      ],
      ['a garbage prefix (issue 10)', `garbage${TRACE}-${SPAN}-1`],
      ['a CR inside the trace id (issue 10)', `${TRACE.slice(0, 10)}\r${TRACE.slice(11)}-${SPAN}-1`],
      ['a suffix', `${TRACE}-${SPAN}-1x`],
      ['a 15-digit span id', `${TRACE}-${SPAN.slice(1)}-1`],
      ['an unknown sampling state', `${TRACE}-${SPAN}-2`],
      ['an upper-case debug state', `${TRACE}-${SPAN}-D`],
      ['an all-zero trace id', `${'0'.repeat(32)}-${SPAN}-1`],
      ['an all-zero span id', `${TRACE}-${'0'.repeat(16)}-1`],
      ['a short parent span id', `${TRACE}-${SPAN}-1-${PARENT.slice(1)}`],
      ['a sampling state alone that is not 0, 1 or d', '2'],
      ['an empty value', ''],
    ])('rejects %s', (_label, value) => {
      const base = ROOT_CONTEXT.setValue(Symbol('marker'), 1);
      expect(extract({ b3: value }, base)).toBe(base);
    });
  });

  describe('when X-B3-* headers are sent', () => {
    const ids = { 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN };

    it.each([
      ['X-B3-Sampled: 1', { 'X-B3-Sampled': '1' }, TraceFlags.SAMPLED],
      ['X-B3-Sampled: 0', { 'X-B3-Sampled': '0' }, TraceFlags.NONE],
      ['X-B3-Sampled: true (older tracers)', { 'X-B3-Sampled': 'true' }, TraceFlags.SAMPLED],
      ['X-B3-Flags: 1 (debug, sampled)', { 'X-B3-Flags': '1' }, TraceFlags.SAMPLED],
      ['a parent span id', { 'X-B3-ParentSpanId': PARENT, 'X-B3-Sampled': '1' }, TraceFlags.SAMPLED],
      [
        // Jaeger's Ruby client (B3RackCodec) writes it on every root span: the trace was lost at a Tracery hop
        'an all-zero parent span id (none, as Ruby jaeger-client writes it)',
        { 'X-B3-ParentSpanId': '0'.repeat(16), 'X-B3-Sampled': '0' },
        TraceFlags.NONE,
      ],
    ])('reads the ids with %s', (_label, extra, traceFlags) => {
      expect(spanContextOf({ ...ids, ...extra })).toEqual({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags,
        isRemote: true,
      });
    });

    it.each([
      [
        'an upper-case trace id (issue 10: was re-sent as an upper-case traceparent)',
        { 'X-B3-TraceId': TRACE.toUpperCase(), 'X-B3-SpanId': SPAN },
      ],
      ['upper-case ids', { 'X-B3-TraceId': TRACE.toUpperCase(), 'X-B3-SpanId': SPAN.toUpperCase() }],
    ])('reads %s and sends it on lower-case in every format', async (_label, headers) => {
      const service = await startTracedHop(tracing);
      try {
        for (const out of ['w3c', 'b3', 'b3single', 'jaeger'] as PropagationFormat[]) {
          const sent = await service.hop(Object.entries({ ...headers, 'X-B3-Sampled': '1' }), 'b3', out);
          for (const value of Object.values(sent)) expect(value).toBe(value.toLowerCase());
        }
        const w3c = await service.hop(Object.entries({ ...headers, 'X-B3-Sampled': '1' }), 'b3', 'w3c');
        expect(w3c.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
      } finally {
        await service.close();
      }
    });

    it.each([
      ['a trace id without a span id', { 'X-B3-TraceId': TRACE }],
      ['a 31-digit trace id', { ...ids, 'X-B3-TraceId': TRACE.slice(1) }],
      ['a garbage prefix', { ...ids, 'X-B3-SpanId': `x${SPAN.slice(1)}` }],
      ['an unknown X-B3-Sampled', { ...ids, 'X-B3-Sampled': 'yes' }],
      ['an unknown X-B3-Flags', { ...ids, 'X-B3-Flags': '2' }],
      ['a malformed parent span id', { ...ids, 'X-B3-ParentSpanId': 'nope' }],
      ['an all-zero trace id', { ...ids, 'X-B3-TraceId': '0'.repeat(16) }],
    ])('rejects %s', (_label, headers) => {
      expect(spanContextOf(headers)).toBeUndefined();
    });

    it('lets b3 take precedence over X-B3-* (the spec)', () => {
      expect(
        spanContextOf({
          b3: `${TRACE}-${SPAN}-0`,
          'X-B3-TraceId': TRACE,
          'X-B3-SpanId': PARENT,
          'X-B3-Sampled': '1',
        })?.spanId,
      ).toBe(SPAN);
    });
  });

  describe('when injecting', () => {
    const spanContext = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED };

    it('writes what OpenTelemetry’s B3 propagator reads back as the same span context', () => {
      for (const [ours, theirs] of [
        [single, B3InjectEncoding.SINGLE_HEADER],
        [multi, B3InjectEncoding.MULTI_HEADER],
      ] as const) {
        const carrier: Record<string, string> = {};
        ours.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, headerSetter);
        const readBack = new OpenTelemetryB3Propagator({ injectEncoding: theirs }).extract(
          ROOT_CONTEXT,
          carrier,
          headerGetter,
        );
        expect(trace.getSpanContext(readBack)).toMatchObject(spanContext);
      }
    });

    it('writes nothing for tracing that is suppressed or a context without a span', () => {
      const carrier: Record<string, string> = {};
      single.inject(ROOT_CONTEXT, carrier, headerSetter);
      multi.inject(ROOT_CONTEXT, carrier, headerSetter);
      expect(carrier).toEqual({});
    });
  });
});

describe('B3 sampling states across a hop and across header styles', () => {
  let service: Awaited<ReturnType<typeof startTracedHop>>;
  beforeAll(async () => {
    service = await startTracedHop(tracing);
  });
  afterAll(() => service.close());

  it('keeps a deferred decision (b3: {trace}-{span}) the receiver’s: core’s sampler decides it, as a new trace', async () => {
    const deferredExporter = new InMemorySpanExporter();
    const sampling = new TracerService({
      spanProcessors: [new SimpleSpanProcessor(deferredExporter)],
      sampler: { type: 'const', param: 1 },
      registerGlobal: false,
    });
    try {
      const parent = sampling.extract({ b3: `${TRACE}-${SPAN}` }, 'b3single');
      sampling.startSpan('server', {}, parent).end();
      const [server] = deferredExporter.getFinishedSpans();
      expect(server.spanContext().traceId).toBe(TRACE);
      expect(server.parentSpanContext?.spanId).toBe(SPAN);
    } finally {
      await sampling.shutdown();
    }
  });

  it('sends a deferred decision on unchanged when the remote span itself is injected (a pass-through)', () => {
    const parent = tracing.extract({ b3: `${TRACE}-${SPAN}` }, 'b3single');
    const singleOut: Record<string, unknown> = {};
    const multiOut: Record<string, unknown> = {};
    context.with(parent, () => {
      tracing.inject(singleOut, 'b3single');
      tracing.inject(multiOut, 'b3');
    });
    expect(singleOut).toEqual({ b3: `${TRACE}-${SPAN}` });
    expect(multiOut).toEqual({ 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN });
  });

  it('sends the decision made here once a span is started under a deferred parent', async () => {
    const out = await service.hop([['b3', `${TRACE}-${SPAN}`]], 'b3single');
    expect(out.b3).toMatch(new RegExp(`^${TRACE}-[0-9a-f]{16}-0$`)); // this file's sampler is const 0
  });

  it('honours b3: 0 (deny) for the trace started here, and sends the deny on', async () => {
    const sampling = new TracerService({ sampler: { type: 'const', param: 1 }, registerGlobal: false });
    try {
      const denied = sampling.extract({ b3: '0' }, 'b3single');
      const span = sampling.startSpan('server', {}, denied);
      expect(span.isRecording()).toBe(false);
      expect(sampling.startSpan('server', {}, ROOT_CONTEXT).isRecording()).toBe(true);
      const out: Record<string, unknown> = {};
      context.with(denied, () => sampling.inject(out, 'b3single'));
      expect(out).toEqual({ b3: '0' });
      const multiOut: Record<string, unknown> = {};
      context.with(denied, () => sampling.inject(multiOut, 'b3'));
      expect(multiOut).toEqual({ 'x-b3-sampled': '0' });
    } finally {
      await sampling.shutdown();
    }
  });

  it.each([
    [
      'X-B3-Flags: 1 in, b3 out (issue 10: left as b3 ...-1)',
      [
        ['X-B3-TraceId', TRACE],
        ['X-B3-SpanId', SPAN],
        ['X-B3-Flags', '1'],
      ],
      'b3',
      'b3single',
      (out: Record<string, string>) => expect(out.b3).toMatch(/-d$/),
    ],
    [
      'b3 ...-d in, X-B3-* out',
      [['b3', `${TRACE}-${SPAN}-d`]],
      'b3single',
      'b3',
      (out: Record<string, string>) => {
        expect(out['x-b3-flags']).toBe('1');
        expect(out['x-b3-sampled']).toBeUndefined();
      },
    ],
    [
      'b3 ...-d in, uber-trace-id out',
      [['b3', `${TRACE}-${SPAN}-d`]],
      'b3single',
      'jaeger',
      (out: Record<string, string>) => expect(out['uber-trace-id']).toMatch(/:0:3$/),
    ],
    [
      'uber-trace-id ...:3 in, b3 out',
      [['uber-trace-id', `${TRACE}:${SPAN}:0:3`]],
      'jaeger',
      'b3single',
      (out: Record<string, string>) => expect(out.b3).toMatch(/-d$/),
    ],
    [
      'b3 ...-d in, traceparent out (W3C has no debug flag: sampled)',
      [['b3', `${TRACE}-${SPAN}-d`]],
      'b3single',
      'w3c',
      (out: Record<string, string>) => expect(out.traceparent).toMatch(/-01$/),
    ],
  ] as const)(
    'carries debug: %s, and the span is sampled under a const 0 sampler',
    async (_label, headers, inFormat, outFormat, check) => {
      exporter.reset();
      const out = await service.hop(
        headers.map(([n, v]) => [n, v]),
        inFormat,
        outFormat,
      );
      check(out);
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['server']);
    },
  );

  it('marks only the trace it came with as debug', () => {
    const parent = tracing.extract({ b3: `${TRACE}-${SPAN}-d` }, 'b3single');
    expect(isDebug(parent)).toBe(true);
    const newRoot = tracing.startSpan('other', { root: true }, parent);
    expect(isDebug(trace.setSpan(parent, newRoot))).toBe(false);
  });
});
