import 'reflect-metadata';
import fc from 'fast-check';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TraceState } from '@opentelemetry/core';
import { createPropagator, TracerService, type PropagationFormat } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';

const FORMATS: PropagationFormat[] = ['w3c', 'jaeger', 'b3', 'b3single'];
const HEADERS_OF: Record<PropagationFormat, string[]> = {
  w3c: ['traceparent'],
  jaeger: ['uber-trace-id'],
  b3: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled'],
  b3single: ['b3'],
};

let exporter: InMemorySpanExporter;
let tracing: TracerService;
beforeAll(() => {
  exporter = new InMemorySpanExporter();
  tracing = new TracerService({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
});
afterEach(() => exporter.reset());
afterAll(() => tracing.shutdown());

/** Injects the context of a new span (with baggage) in `format`; returns the headers and the span's ids. */
/** Runs `use` against an HTTP server on 127.0.0.1 that hands each request to `onRequest`, then closes it. */
async function withServer(
  onRequest: (req: http.IncomingMessage) => void,
  use: (port: number) => Promise<unknown>,
): Promise<void> {
  const server = http.createServer((req, res) => {
    onRequest(req);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** One GET with these headers on a fresh connection, resolved once the answer has been read. */
function getOnce(port: number, headers: Record<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

function injectFrom(format: PropagationFormat, sampled = true) {
  const headers: Record<string, unknown> = {};
  const span = tracing.startSpan('client', {}, context.active());
  const spanContext = { ...span.spanContext(), traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE };
  const baggage = propagation.createBaggage({ tenant: { value: 'acme corp' } });
  const ctx = propagation.setBaggage(trace.setSpanContext(context.active(), spanContext), baggage);
  context.with(ctx, () => tracing.inject(headers, format));
  span.end();
  return { headers, spanContext };
}

describe('createPropagator', () => {
  describe.each(FORMATS)('when the format is %s', (format) => {
    it('writes the expected headers', () => {
      const { headers } = injectFrom(format);
      for (const name of HEADERS_OF[format]) expect(typeof headers[name]).toBe('string');
    });

    it('round-trips the span context through a plain object', () => {
      const { headers, spanContext } = injectFrom(format);
      const extracted = trace.getSpanContext(tracing.extract(headers, format));
      expect(extracted).toMatchObject({
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('carries an unsampled decision', () => {
      const { headers } = injectFrom(format, false);
      expect(trace.getSpanContext(tracing.extract(headers, format))?.traceFlags).toBe(TraceFlags.NONE);
    });

    it('reads headers whatever their case, and a header sent once as a one-value array', () => {
      const { headers, spanContext } = injectFrom(format);
      const shouted: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(headers)) shouted[name.toUpperCase()] = [value];
      expect(trace.getSpanContext(tracing.extract(shouted, format))?.spanId).toBe(spanContext.spanId);
    });

    it(
      format === 'w3c'
        ? 'rejects a traceparent sent twice (W3C: a repeated traceparent is malformed)'
        : 'takes the first value of a header sent twice (B3: the first value wins; Jaeger alike)',
      () => {
        const { headers, spanContext } = injectFrom(format);
        const repeated: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(headers)) repeated[name] = [value, 'garbage'];
        const read = trace.getSpanContext(tracing.extract(repeated, format));
        if (format === 'w3c') expect(read).toBeUndefined();
        else expect(read?.spanId).toBe(spanContext.spanId);
      },
    );

    it('returns the context unchanged for hostile headers', () => {
      const base = context.active();
      const hostile: Record<string, unknown>[] = [
        Object.fromEntries(HEADERS_OF[format].map((h) => [h, 'f'.repeat(1_000_000)])),
        Object.fromEntries(HEADERS_OF[format].map((h) => [h, '\u0000\u00ff;;;--'])),
        Object.fromEntries(HEADERS_OF[format].map((h) => [h, 12345])),
        Object.fromEntries(HEADERS_OF[format].map((h) => [h, { toString: () => 'x' }])),
        Object.fromEntries(HEADERS_OF[format].map((h) => [h, []])),
      ];
      for (const carrier of hostile) {
        expect(trace.getSpanContext(tracing.extract(carrier, format))).toBeUndefined();
      }
      expect(tracing.extract({}, format)).toBe(base);
    });
  });

  describe('when the format is w3c and the context has a tracestate', () => {
    it('writes tracestate and reads it back with the span context', () => {
      const traceState = new TraceState('vendor=abc,other=1');
      const spanContext = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
        traceState,
      };
      const headers: Record<string, unknown> = {};
      context.with(trace.setSpanContext(context.active(), spanContext), () => tracing.inject(headers, 'w3c'));
      expect(headers.tracestate).toBe('vendor=abc,other=1');
      const extracted = trace.getSpanContext(tracing.extract(headers, 'w3c'));
      expect(extracted?.traceState?.get('vendor')).toBe('abc');
      expect(extracted?.traceState?.serialize()).toBe('vendor=abc,other=1');
    });
  });

  describe('when the format is a B3 one and the headers are of the other B3 style', () => {
    it.each([
      ['b3', 'b3single'],
      ['b3single', 'b3'],
    ] as const)('extracts with %s what %s wrote', (reader, writer) => {
      const { headers, spanContext } = injectFrom(writer);
      expect(trace.getSpanContext(tracing.extract(headers, reader))).toMatchObject({
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
      });
    });
  });

  describe('when the format carries baggage', () => {
    it.each(['w3c', 'jaeger'] as const)('round-trips baggage in %s', (format) => {
      const { headers } = injectFrom(format);
      const baggage = propagation.getBaggage(tracing.extract(headers, format));
      expect(baggage?.getEntry('tenant')?.value).toBe('acme corp');
    });
  });

  describe('when contexts travel over a real HTTP connection', () => {
    it.each(FORMATS)(
      'makes the server span a child of the client span with %s and IncomingHttpHeaders',
      async (format) => {
        const received: { headers: IncomingHttpHeaders; parent: Context }[] = [];
        await withServer(
          (req) => {
            const parent = tracing.extract(req.headers, format);
            received.push({ headers: req.headers, parent });
            tracing.startSpan('server', {}, parent).end();
          },
          (port) =>
            tracing.withSpan('client', async () => {
              const headers: Record<string, string> = {};
              tracing.inject(headers, format);
              await getOnce(port, headers);
            }),
        );
        const spans = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
        const client = spans.get('client')!;
        const serverSpan = spans.get('server')!;
        expect(serverSpan.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
        expect(serverSpan.spanContext().traceId).toBe(client.spanContext().traceId);
        expect(received).toHaveLength(1);
      },
    );
  });

  it('gives w3c for an unknown format', () => {
    expect(createPropagator('nonsense' as PropagationFormat).fields()).toContain('traceparent');
  });
});

describe('headerGetter', () => {
  it('finds keys case-insensitively, gives the values of a repeated header as an array and ignores non-strings', () => {
    const carrier = { TraceParent: 'a', multi: ['first', 'second'], mixed: ['a', 1], num: 5 };
    expect(headerGetter.get(carrier, 'traceparent')).toBe('a');
    expect(headerGetter.get(carrier, 'multi')).toEqual(['first', 'second']);
    expect(headerGetter.get(carrier, 'mixed')).toBeUndefined();
    expect(headerGetter.get(carrier, 'num')).toBeUndefined();
    expect(headerGetter.get(undefined, 'x')).toBeUndefined();
    expect(headerGetter.keys(carrier)).toEqual(['TraceParent', 'multi', 'mixed', 'num']);
  });

  it('treats values over 8192 characters as absent', () => {
    expect(headerGetter.get({ baggage: 'a'.repeat(8192) }, 'baggage')).toHaveLength(8192);
    expect(headerGetter.get({ baggage: 'a'.repeat(8193) }, 'baggage')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    expect(headerGetter.get({}, 'constructor')).toBeUndefined();
  });
});

describe('headerSetter', () => {
  it('writes into objects and ignores anything else', () => {
    const carrier: Record<string, unknown> = {};
    headerSetter.set(carrier, 'k', 'v');
    expect(carrier).toEqual({ k: 'v' });
    expect(() => headerSetter.set(undefined, 'k', 'v')).not.toThrow();
  });
});

describe('TracerService.inject', () => {
  describe('when the carrier already holds the header under another case (forwarded headers)', () => {
    it.each(FORMATS)(
      'replaces it in %s, so one header travels and the receiver reads the new parent',
      async (format) => {
        const stale = injectFrom(format).headers;
        const forwarded: Record<string, unknown> = { 'X-Request-Id': 'r-1' };
        for (const [name, value] of Object.entries(stale)) {
          forwarded[name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())] =
            value;
        }
        const { headers, spanContext } = (() => {
          const span = tracing.startSpan('fresh', {}, context.active());
          context.with(trace.setSpan(context.active(), span), () => tracing.inject(forwarded, format));
          span.end();
          return { headers: forwarded, spanContext: span.spanContext() };
        })();
        const lowerNames = Object.keys(headers).map((name) => name.toLowerCase());
        expect(new Set(lowerNames).size).toBe(lowerNames.length);
        expect(headers['X-Request-Id']).toBe('r-1');
        let received: IncomingHttpHeaders = {};
        await withServer(
          (req) => {
            received = req.headers;
          },
          (port) => getOnce(port, headers as Record<string, string>),
        );
        expect(trace.getSpanContext(tracing.extract(received, format))?.spanId).toBe(spanContext.spanId);
      },
    );
  });
});

describe('TracerService.extract (properties)', () => {
  it.each(FORMATS)(
    'never throws and never returns an invalid span context for arbitrary %s carriers',
    (format) => {
      const headerName = fc.constantFrom(
        ...HEADERS_OF[format],
        'baggage',
        'tracestate',
        'uberctx-k',
        'B3',
        'X-B3-Flags',
      );
      const headerValue = fc.oneof(fc.string(), fc.array(fc.string()), fc.anything());
      fc.assert(
        fc.property(fc.dictionary(headerName, headerValue), (carrier) => {
          const spanContext = trace.getSpanContext(tracing.extract(carrier, format));
          return (
            spanContext === undefined ||
            (/^[0-9a-f]{32}$/.test(spanContext.traceId) && /^[0-9a-f]{16}$/.test(spanContext.spanId))
          );
        }),
      );
    },
  );
});
