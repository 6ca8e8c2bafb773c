import 'reflect-metadata';
import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { MAX_LINKS_PER_SPAN, SpanLink, Traced } from '@tracery/core';
import { captureDiag, installInMemoryPipeline, type InMemoryPipeline } from '../support/inMemoryPipeline';

let pipeline: InMemoryPipeline;
beforeAll(() => (pipeline = installInMemoryPipeline()));
afterEach(() => pipeline.reset());
afterAll(() => pipeline.uninstall());

const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const SPAN_A = 'b7ad6b7169203331';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_B = '00f067aa0ba902b7';
const linked = () =>
  pipeline.spans()[0].links.map((link) => `${link.context.traceId}:${link.context.spanId}`);

interface Message {
  headers: Record<string, string | string[]>;
  body: string;
}

class Consumer {
  @Traced()
  one(@SpanLink() source: unknown) {
    return source;
  }

  @Traced()
  batch(@SpanLink((messages: Message[]) => messages.map((m) => m.headers)) messages: Message[]) {
    return messages.length;
  }

  @Traced()
  headers(@SpanLink('headers') message: Message) {
    return message.body;
  }

  @Traced({ links: (args) => (args[0] as Message[]).map((m) => m.headers) })
  fromOptions(messages: Message[]) {
    return messages.length;
  }
}

describe('SpanLink', () => {
  describe('when the argument is a span context', () => {
    it('links the span to it', () => {
      const spanContext: SpanContext = { traceId: TRACE_A, spanId: SPAN_A, traceFlags: TraceFlags.SAMPLED };
      new Consumer().one(spanContext);
      expect(linked()).toEqual([`${TRACE_A}:${SPAN_A}`]);
    });
  });

  describe('when the argument is a traceparent string', () => {
    it('links the span to the context it names', () => {
      new Consumer().one(`00-${TRACE_B}-${SPAN_B}-01`);
      expect(linked()).toEqual([`${TRACE_B}:${SPAN_B}`]);
      expect(pipeline.spans()[0].links[0].context.traceFlags).toBe(TraceFlags.SAMPLED);
    });
  });

  describe('when the argument is a carrier', () => {
    it.each([
      ['traceparent', { traceparent: `00-${TRACE_A}-${SPAN_A}-01` }, `${TRACE_A}:${SPAN_A}`],
      ['uber-trace-id', { 'uber-trace-id': `${TRACE_B}:${SPAN_B}:0:1` }, `${TRACE_B}:${SPAN_B}`],
      ['b3 single', { b3: `${TRACE_A}-${SPAN_B}-1` }, `${TRACE_A}:${SPAN_B}`],
      [
        'X-B3 multi',
        { 'X-B3-TraceId': TRACE_B, 'X-B3-SpanId': SPAN_A, 'X-B3-Sampled': '1' },
        `${TRACE_B}:${SPAN_A}`,
      ],
      ['upper-case header arrays', { TraceParent: [`00-${TRACE_B}-${SPAN_A}-00`] }, `${TRACE_B}:${SPAN_A}`],
    ])('reads %s', (_label, carrier, expected) => {
      new Consumer().one(carrier);
      expect(linked()).toEqual([expected]);
    });

    it('links each message of a batch through a mapper', () => {
      const messages: Message[] = [
        { headers: { traceparent: `00-${TRACE_A}-${SPAN_A}-01` }, body: 'a' },
        { headers: { 'uber-trace-id': `${TRACE_B}:${SPAN_B}:0:1` }, body: 'b' },
      ];
      expect(new Consumer().batch(messages)).toBe(2);
      expect(linked()).toEqual([`${TRACE_A}:${SPAN_A}`, `${TRACE_B}:${SPAN_B}`]);
    });

    it('follows a dotted path mapper', () => {
      new Consumer().headers({ headers: { traceparent: `00-${TRACE_A}-${SPAN_A}-01` }, body: 'x' });
      expect(linked()).toEqual([`${TRACE_A}:${SPAN_A}`]);
    });
  });

  describe('when the values are bad', () => {
    it('skips them, keeps the good ones, runs the method and reports once', () => {
      const diag = captureDiag();
      try {
        const revoked = Proxy.revocable({}, {});
        revoked.revoke();
        const messages = [
          { headers: { traceparent: 'garbage' }, body: '1' },
          { headers: { traceparent: `00-${'0'.repeat(32)}-${SPAN_A}-01` }, body: '2' },
          { headers: revoked.proxy as Record<string, string>, body: '3' },
          { headers: { traceparent: `00-${TRACE_A}-${SPAN_A}-01` }, body: '4' },
        ];
        const consumer = new Consumer();
        expect(consumer.batch(messages)).toBe(4);
        expect(consumer.batch(messages)).toBe(4);
        expect(pipeline.spans()).toHaveLength(2);
        expect(pipeline.spans()[0].links.map((l) => l.context.traceId)).toEqual([TRACE_A]);
        const reports = diag.messages.filter((m) => m.includes('Consumer.batch'));
        expect(reports).toHaveLength(1);
      } finally {
        diag.restore();
      }
    });

    it('skips a mapper that throws and still runs the method', () => {
      class Throwing {
        @Traced()
        run(
          @SpanLink(() => {
            throw new Error('mapper broke');
          })
          value: string,
        ) {
          return value;
        }
      }
      expect(new Throwing().run('v')).toBe('v');
      expect(pipeline.spans()[0].links).toEqual([]);
    });

    it('caps the links of one span and does not even read the targets past the cap', () => {
      let reads = 0;
      const counted = {
        get traceparent() {
          reads++;
          return `00-${TRACE_B}-${SPAN_B}-01`;
        },
      };
      const many: unknown[] = [
        ...Array.from({ length: MAX_LINKS_PER_SPAN }, () => `00-${TRACE_A}-${SPAN_A}-01`),
        ...Array.from({ length: 50 }, () => counted),
      ];
      new Consumer().one(many);
      const [span] = pipeline.spans();
      expect(span.links).toHaveLength(MAX_LINKS_PER_SPAN);
      expect(span.links.every((l) => l.context.traceId === TRACE_A)).toBe(true);
      expect(reads).toBe(0);
    });
  });

  describe('when links is a function in the options', () => {
    it('links the span to what it returns', () => {
      new Consumer().fromOptions([{ headers: { traceparent: `00-${TRACE_B}-${SPAN_B}-01` }, body: '' }]);
      expect(linked()).toEqual([`${TRACE_B}:${SPAN_B}`]);
    });
  });
});
