// Every assertion reads the bytes with BOTH independent decoders: the `thrift` package's TBinaryProtocol (the
// fake collector's reader) and `thriftrw` with jaeger-client's jaeger.thrift; neither shares code with ours.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { markDebugSpan } from '@tracery/commons';
import fc from 'fast-check';
import { encodeJaegerBatch, encodeJaegerBatches } from '../../src/jaeger/encodeBatch';
import { decodeBinaryBatch, type DecodedBatch } from '../../../../test/support/jaegerThriftReader';
import { thriftrwDecodeBatch, thriftrwToDecoded } from '../../../../test/support/jaegerThriftrw';
import { micros, recordSpans, remoteParent } from './recordSpans';

/** Decodes with both decoders, checks they agree, returns the reading. */
function decode(body: Buffer): DecodedBatch {
  const viaThrift = decodeBinaryBatch(body);
  expect(thriftrwToDecoded(thriftrwDecodeBatch(body))).toEqual(viaThrift);
  return viaThrift;
}

const TRACE_ID = 'f1e2d3c4b5a69788a7b6c5d4e3f2a1b0';
const SPAN_ID = 'ff00000000000001';
const PARENT_ID = '8000000000000000';

describe('encodeJaegerBatch', () => {
  describe('when a span has a 128-bit trace id and ids with the top bit set', () => {
    const [span] = recordSpans(
      (tracer) => tracer.startSpan('GET /users', {}, remoteParent(TRACE_ID, PARENT_ID)).end(),
      { spanIds: [SPAN_ID] },
    );
    const batch = decode(encodeJaegerBatch([span]));

    it('splits the trace id into high and low halves as signed i64', () => {
      const [s] = batch.spans;
      expect(s.traceId).toBe(TRACE_ID);
      expect(s.traceIdHigh).toBe(BigInt.asIntN(64, 0xf1e2d3c4b5a69788n));
      expect(s.traceIdHigh < 0n).toBe(true);
      expect(s.traceIdLow).toBe(BigInt.asIntN(64, 0xa7b6c5d4e3f2a1b0n));
    });

    it('writes the span id and the parent span id', () => {
      expect(batch.spans[0].spanId).toBe(SPAN_ID);
      expect(batch.spans[0].parentSpanId).toBe(PARENT_ID);
    });

    it('writes the name as the operation name and the sampled flag', () => {
      expect(batch.spans[0].operationName).toBe('GET /users');
      expect(batch.spans[0].flags).toBe(1);
    });

    it('writes start time and duration in microseconds', () => {
      expect(batch.spans[0].startTime).toBe(micros(span.startTime));
      expect(batch.spans[0].duration).toBe(micros(span.duration));
    });
  });

  describe('when the trace id is 64 bits (high half zero)', () => {
    it('writes traceIdHigh 0 and no parent', () => {
      const [span] = recordSpans((tracer) => tracer.startSpan('root').end(), {
        traceIds: ['0000000000000000fedcba9876543210'],
      });
      const [s] = decode(encodeJaegerBatch([span])).spans;
      expect(s.traceIdHigh).toBe(0n);
      expect(s.traceIdLow).toBe(BigInt.asIntN(64, 0xfedcba9876543210n));
      expect(s.parentSpanId).toBe('0000000000000000');
    });
  });

  describe('when the span is not sampled', () => {
    it('writes flags 0', () => {
      const [span] = recordSpans((tracer) => tracer.startSpan('s').end());
      const unsampled: ReadableSpan = Object.assign(Object.create(Object.getPrototypeOf(span)), span, {
        spanContext: () => ({ ...span.spanContext(), traceFlags: 0 }),
      });
      expect(decode(encodeJaegerBatch([unsampled])).spans[0].flags).toBe(0);
    });
  });

  describe('when the span is of a debug trace (marked by markDebugSpan)', () => {
    it('writes flags 3, sampled and debug, and 1 for the other spans', () => {
      const spans = recordSpans((tracer) => {
        tracer.startSpan('debugged').end();
        tracer.startSpan('plain').end();
      });
      markDebugSpan(spans[0].spanContext());
      expect(decode(encodeJaegerBatch(spans)).spans.map((s) => [s.operationName, s.flags])).toEqual([
        ['debugged', 3],
        ['plain', 1],
      ]);
    });
  });

  describe('when attributes of every type are set', () => {
    const [span] = recordSpans((tracer) =>
      tracer
        .startSpan('attrs', {
          attributes: {
            str: 'héllo wörld ✓ 𝄞',
            empty: '',
            int: 42,
            negative: -7,
            big: 2 ** 40 + 3,
            float: 3.25,
            notSafe: 2 ** 60,
            bool: true,
            falsy: false,
            strings: ['a', 'b'],
            numbers: [1, 2.5],
            bools: [true, false],
          },
        })
        .end(),
    );
    const { tags } = decode(encodeJaegerBatch([span])).spans[0];

    it('writes strings as STRING (UTF-8)', () => {
      expect(tags.str).toBe('héllo wörld ✓ 𝄞');
      expect(tags.empty).toBe('');
    });

    it('writes integers as LONG, negative and beyond 32 bits included', () => {
      expect(tags.int).toBe(42n);
      expect(tags.negative).toBe(-7n);
      expect(tags.big).toBe(2n ** 40n + 3n);
    });

    it('writes non-integers and integers beyond 2^53 as DOUBLE', () => {
      expect(tags.float).toBe(3.25);
      expect(tags.notSafe).toBe(2 ** 60);
    });

    it('writes booleans as BOOL', () => {
      expect(tags.bool).toBe(true);
      expect(tags.falsy).toBe(false);
    });

    it('writes arrays as JSON strings', () => {
      expect(tags.strings).toBe('["a","b"]');
      expect(tags.numbers).toBe('[1,2.5]');
      expect(tags.bools).toBe('[true,false]');
    });
  });

  describe('when the span has a kind', () => {
    it.each([
      [SpanKind.SERVER, 'server'],
      [SpanKind.CLIENT, 'client'],
      [SpanKind.PRODUCER, 'producer'],
      [SpanKind.CONSUMER, 'consumer'],
    ])('writes kind %s as span.kind=%s', (kind, name) => {
      const [span] = recordSpans((tracer) => tracer.startSpan('k', { kind }).end());
      expect(decode(encodeJaegerBatch([span])).spans[0].tags['span.kind']).toBe(name);
    });

    it('writes no span.kind for INTERNAL', () => {
      const [span] = recordSpans((tracer) => tracer.startSpan('k', { kind: SpanKind.INTERNAL }).end());
      expect(decode(encodeJaegerBatch([span])).spans[0].tags).not.toHaveProperty('span.kind');
    });
  });

  describe('when a span.kind attribute is set as OpenTracing-style code does', () => {
    /** Every `span.kind` tag of the first span, as thriftrw reads the list (a record would hide duplicates). */
    function spanKindTags(span: ReadableSpan): (string | null | undefined)[] {
      const body = encodeJaegerBatch([span]);
      decode(body);
      const tags = thriftrwDecodeBatch(body).spans[0].tags ?? [];
      return tags.filter((tag) => tag.key === 'span.kind').map((tag) => tag.vStr);
    }

    it("writes one span.kind tag, the span's kind, when the kind is set too", () => {
      const [span] = recordSpans((tracer) =>
        tracer.startSpan('k', { kind: SpanKind.CLIENT, attributes: { 'span.kind': 'server' } }).end(),
      );
      expect(spanKindTags(span)).toEqual(['client']);
    });

    it('keeps the attribute as the one span.kind tag of an INTERNAL span', () => {
      const [span] = recordSpans((tracer) => {
        const started = tracer.startSpan('k');
        started.setAttribute('span.kind', 'producer');
        started.end();
      });
      expect(spanKindTags(span)).toEqual(['producer']);
    });
  });

  describe('when the status is ERROR', () => {
    it('writes error=true, otel.status_code=ERROR and the description', () => {
      const [span] = recordSpans((tracer) => {
        const s = tracer.startSpan('fails', { attributes: { error: 'user value' } });
        s.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
        s.end();
      });
      const { tags } = decode(encodeJaegerBatch([span])).spans[0];
      expect(tags.error).toBe(true);
      expect(tags['otel.status_code']).toBe('ERROR');
      expect(tags['otel.status_description']).toBe('boom');
    });
  });

  describe('when the status is OK or unset', () => {
    it('writes otel.status_code=OK for OK and no status tags for unset', () => {
      const [ok, unset] = recordSpans((tracer) => {
        tracer.startSpan('ok').setStatus({ code: SpanStatusCode.OK }).end();
        tracer.startSpan('unset').end();
      });
      const [okSpan, unsetSpan] = decode(encodeJaegerBatch([ok, unset])).spans;
      expect(okSpan.tags['otel.status_code']).toBe('OK');
      expect(okSpan.tags).not.toHaveProperty('error');
      expect(Object.keys(unsetSpan.tags).filter((k) => k.startsWith('otel.status') || k === 'error')).toEqual(
        [],
      );
    });
  });

  describe('when the span has events', () => {
    it('writes each event as a Log with an `event` field, its attributes and its time', () => {
      const [span] = recordSpans((tracer) => {
        const s = tracer.startSpan('with events');
        s.addEvent('cache miss', { key: 'user:1', attempt: 2 });
        s.addEvent('done');
        s.end();
      });
      const { logs } = decode(encodeJaegerBatch([span])).spans[0];
      expect(logs).toEqual([
        {
          timestamp: micros(span.events[0].time),
          fields: { event: 'cache miss', key: 'user:1', attempt: 2n },
        },
        { timestamp: micros(span.events[1].time), fields: { event: 'done' } },
      ]);
    });
  });

  describe('when the span has links', () => {
    it('writes each link as a FOLLOWS_FROM reference', () => {
      const linked = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
      const [span] = recordSpans((tracer) =>
        tracer.startSpan('linked', { links: [{ context: linked }] }).end(),
      );
      expect(decode(encodeJaegerBatch([span])).spans[0].references).toEqual([
        { refType: 1, traceId: linked.traceId, spanId: linked.spanId },
      ]);
    });
  });

  describe('when the resource has service.name and other attributes', () => {
    const [span] = recordSpans((tracer) => tracer.startSpan('s').end(), {
      resource: { 'service.name': 'checkout', 'host.name': 'h1', 'faas.max_memory': 536870912, tags: ['x'] },
    });
    const batch = decode(encodeJaegerBatch([span]));

    it('writes service.name as the process service name', () => {
      expect(batch.serviceName).toBe('checkout');
    });

    it('writes the other resource attributes as process tags', () => {
      expect(batch.processTags).toEqual({ 'host.name': 'h1', 'faas.max_memory': 536870912n, tags: '["x"]' });
    });
  });

  describe('when the resource has no service.name', () => {
    it('uses unknown_service', () => {
      const [span] = recordSpans((tracer) => tracer.startSpan('s').end());
      const body = encodeJaegerBatch([span], { resource: resourceFromAttributes({ zone: 'a' }) });
      expect(decode(body)).toMatchObject({ serviceName: 'unknown_service', processTags: { zone: 'a' } });
    });
  });

  describe('when the tracer has an instrumentation scope', () => {
    it('writes otel.scope.name and otel.scope.version', () => {
      const [span] = recordSpans((tracer) => tracer.startSpan('s').end());
      expect(decode(encodeJaegerBatch([span])).spans[0].tags).toMatchObject({
        'otel.scope.name': 'test-scope',
        'otel.scope.version': '1.2.3',
      });
    });
  });

  describe('when there are no spans', () => {
    it('writes a valid batch with an empty span list', () => {
      const batch = decode(
        encodeJaegerBatch([], { resource: resourceFromAttributes({ 'service.name': 'idle' }) }),
      );
      expect(batch).toEqual({ serviceName: 'idle', processTags: {}, spans: [] });
    });
  });

  describe('when attribute values are arbitrary', () => {
    it('round-trips strings, safe integers and doubles through both decoders', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: 'grapheme', maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.maxSafeInteger(),
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
          (a, b, int, dbl) => {
            const [span] = recordSpans((tracer) =>
              tracer
                .startSpan(b, { attributes: { a, b: b.replace(/[\uD800-\uDFFF]/g, '?'), int, dbl } })
                .end(),
            );
            const decoded = decode(encodeJaegerBatch([span])).spans[0];
            expect(decoded.operationName).toBe(Buffer.from(b, 'utf8').toString('utf8'));
            expect(decoded.tags).toMatchObject({
              a,
              b: b.replace(/[\uD800-\uDFFF]/g, '?'),
              int: BigInt(int),
              dbl,
            });
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});

describe('encodeJaegerBatches', () => {
  describe('when spans come from two resources', () => {
    it('makes one batch per resource, each with its own process', () => {
      const a = recordSpans((tracer) => tracer.startSpan('a1').end(), {
        resource: { 'service.name': 'svc-a' },
      });
      const b = recordSpans((tracer) => tracer.startSpan('b1').end(), {
        resource: { 'service.name': 'svc-b' },
      });
      const a2 = recordSpans((tracer) => tracer.startSpan('a2').end(), {
        resource: { 'service.name': 'svc-a' },
      });
      const { payloads } = encodeJaegerBatches([a[0], b[0]], 1 << 20);
      const batches = payloads.map((p) => decode(p.bytes));
      expect(batches.map((x) => [x.serviceName, x.spans.map((s) => s.operationName)])).toEqual([
        ['svc-a', ['a1']],
        ['svc-b', ['b1']],
      ]);
      // Equal attributes but another Resource object: still a batch of its own, never mixed up.
      expect(encodeJaegerBatches([a[0], a2[0]], 1 << 20).payloads).toHaveLength(2);
    });
  });

  describe('when the spans of one resource are exported batch after batch', () => {
    it('writes the same process each time, and each resource its own', () => {
      const a = recordSpans((tracer) => ['a1', 'a2'].forEach((name) => tracer.startSpan(name).end()), {
        resource: { 'service.name': 'svc-a', 'host.name': 'h-a' },
      });
      const b = recordSpans((tracer) => tracer.startSpan('b1').end(), {
        resource: { 'service.name': 'svc-b', 'host.name': 'h-b' },
      });
      const processOf = (spans: ReadableSpan[]) =>
        encodeJaegerBatches(spans, 1 << 20).payloads.map((p) => {
          const { serviceName, processTags } = decode(p.bytes);
          return { serviceName, processTags };
        });
      const svcA = { serviceName: 'svc-a', processTags: { 'host.name': 'h-a' } };
      expect([processOf([a[0]]), processOf([b[0]]), processOf([a[1]]), processOf([a[0], b[0]])]).toEqual([
        [svcA],
        [{ serviceName: 'svc-b', processTags: { 'host.name': 'h-b' } }],
        [svcA],
        [svcA, { serviceName: 'svc-b', processTags: { 'host.name': 'h-b' } }],
      ]);
    });

    it('writes the attributes a resource detected asynchronously once they settled', async () => {
      let settle: (region: string) => void = () => undefined;
      const late = new Promise<string>((resolve) => (settle = resolve));
      const resource = resourceFromAttributes({ 'service.name': 'svc-late', 'cloud.region': late });
      const spans = recordSpans((tracer) => tracer.startSpan('s').end());
      const withLate = spans.map((span) => Object.assign(Object.create(span) as ReadableSpan, { resource }));
      const before = decode(encodeJaegerBatches(withLate, 1 << 20).payloads[0].bytes);
      settle('cn-hangzhou');
      await resource.waitForAsyncAttributes?.();
      const after = decode(encodeJaegerBatches(withLate, 1 << 20).payloads[0].bytes);
      expect(before.processTags).toEqual({});
      expect(after.processTags).toEqual({ 'cloud.region': 'cn-hangzhou' });
    });
  });

  describe('when the spans do not fit in one payload', () => {
    const spans = recordSpans((tracer) => {
      for (let i = 0; i < 200; i++)
        tracer.startSpan(`span-${i}`, { attributes: { i, pad: 'x'.repeat(50) } }).end();
    });
    const maxBytes = 4000;
    const { payloads, droppedSpans } = encodeJaegerBatches(spans, maxBytes);

    it('splits them into payloads no larger than the limit', () => {
      expect(payloads.length).toBeGreaterThan(1);
      for (const p of payloads) expect(p.bytes.length).toBeLessThanOrEqual(maxBytes);
      expect(droppedSpans).toBe(0);
    });

    it('keeps every span exactly once, in order, each payload a whole batch', () => {
      const names = payloads.flatMap((p) => {
        const batch = decode(p.bytes);
        expect(batch.spans).toHaveLength(p.spanCount);
        return batch.spans.map((s) => s.operationName);
      });
      expect(names).toEqual(spans.map((s) => s.name));
    });
  });

  describe('when one span alone is larger than the limit', () => {
    it('leaves that span out, counts it, and keeps the others', () => {
      const spans = recordSpans((tracer) => {
        tracer.startSpan('small-1').end();
        tracer.startSpan('huge', { attributes: { blob: 'x'.repeat(10_000) } }).end();
        tracer.startSpan('small-2').end();
      });
      const { payloads, droppedSpans } = encodeJaegerBatches(spans, 2000);
      expect(droppedSpans).toBe(1);
      expect(payloads.flatMap((p) => decode(p.bytes).spans.map((s) => s.operationName))).toEqual([
        'small-1',
        'small-2',
      ]);
    });
  });

  describe('when reading a span throws', () => {
    it('leaves that span out, counts it, and encodes the others', () => {
      const [good, bad] = recordSpans((tracer) => {
        tracer.startSpan('good').end();
        tracer.startSpan('bad').end();
      });
      const hostile = Object.create(bad, {
        attributes: {
          get() {
            throw new Error('hostile getter');
          },
        },
      }) as ReadableSpan;
      const result = encodeJaegerBatches([hostile, good], 1 << 20);
      expect(result.failedSpans).toBe(1);
      expect(decode(result.payloads[0].bytes).spans.map((s) => s.operationName)).toEqual(['good']);
    });
  });
});
