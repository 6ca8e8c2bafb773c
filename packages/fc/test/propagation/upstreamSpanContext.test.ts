import { context, defaultTextMapSetter, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createPropagator, createTracerProvider } from '@tracery/core';
import fc from 'fast-check';
import { tracedHandler } from '../../src';
import { upstreamSpanContext, withUpstream } from '../../src/propagation/upstreamSpanContext';
import { fcContext } from '../helpers/fcContexts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('upstreamSpanContext', () => {
  describe('when a traceparent header is present', () => {
    it('reads it, whatever the header name case', () => {
      expect(upstreamSpanContext({ TraceParent: `00-${TRACE}-${SPAN}-01` })).toEqual({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
    });

    it('prefers it over uber-trace-id and b3', () => {
      const parsed = upstreamSpanContext({
        'uber-trace-id': '1:2:0:1',
        b3: `${TRACE}-${SPAN}-1`,
        traceparent: `00-${TRACE}-${SPAN}-00`,
      });
      expect(parsed?.traceFlags).toBe(TraceFlags.NONE);
    });

    it('rejects version ff, all-zero ids and extra fields on version 00', () => {
      expect(upstreamSpanContext({ traceparent: `ff-${TRACE}-${SPAN}-01` })).toBeUndefined();
      expect(upstreamSpanContext({ traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` })).toBeUndefined();
      expect(upstreamSpanContext({ traceparent: `00-${TRACE}-${SPAN}-01-extra` })).toBeUndefined();
    });
  });

  describe('when only uber-trace-id is present', () => {
    it('reads it, URL-encoded or not, padding short ids', () => {
      expect(upstreamSpanContext({ 'uber-trace-id': 'abc%3Adef%3A0%3A1' })).toMatchObject({
        traceId: '00000000000000000000000000000abc',
        spanId: '0000000000000def',
        traceFlags: TraceFlags.SAMPLED,
      });
    });

    it('ignores a malformed escape', () => {
      expect(upstreamSpanContext({ 'uber-trace-id': '%E0%A4%A' })).toBeUndefined();
    });
  });

  describe('when only B3 headers are present', () => {
    it('reads the single b3 header', () => {
      expect(upstreamSpanContext({ b3: `a3ce929d0e0e4736-${SPAN}-d` })).toMatchObject({
        traceId: `0000000000000000a3ce929d0e0e4736`,
        spanId: SPAN,
        traceFlags: TraceFlags.SAMPLED,
      });
    });

    it('reads the X-B3-* headers', () => {
      expect(
        upstreamSpanContext({ 'X-B3-TraceId': TRACE, 'X-B3-SpanId': SPAN, 'X-B3-Sampled': '0' }),
      ).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE });
    });

    it('takes the first value of a repeated header', () => {
      expect(upstreamSpanContext({ b3: [`${TRACE}-${SPAN}-1`, 'junk'] })?.traceId).toBe(TRACE);
    });
  });

  describe('when the headers are malformed (core’s parser, the same as TracerService.extract)', () => {
    it.each([
      ['a b3 trace id of 31 digits', { b3: `${TRACE.slice(1)}-${SPAN}-1` }],
      ['a garbage prefix in b3', { b3: `garbage${TRACE}-${SPAN}-1` }],
      ['a CR inside the b3 trace id', { b3: `${TRACE.slice(0, 9)}\r${TRACE.slice(10)}-${SPAN}-1` }],
      [
        'an upper-case traceparent (the W3C spec rejects it)',
        { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` },
      ],
      ['a traceparent sent twice', { traceparent: [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`] }],
      ['an uber-trace-id encoded beyond its %3A separators', { 'uber-trace-id': '%61bc:def:0:1' }],
    ])('ignores %s', (_label, headers) => {
      expect(upstreamSpanContext(headers)).toBeUndefined();
    });

    it('reads upper-case X-B3-* ids and keeps them lower-case', () => {
      expect(
        upstreamSpanContext({ 'X-B3-TraceId': TRACE.toUpperCase(), 'X-B3-SpanId': SPAN.toUpperCase() }),
      ).toMatchObject({
        traceId: TRACE,
        spanId: SPAN,
      });
    });
  });

  describe('when the upstream caller is the parent (withUpstream)', () => {
    it('keeps what the headers say beyond the sampled flag, for core’s samplers and propagators', () => {
      const provider = createTracerProvider({ sampler: { type: 'const', param: 1 } });
      const tracer = provider.getTracer('t');
      const deferred = tracer.startSpan(
        'invocation',
        {},
        withUpstream(ROOT_CONTEXT, { b3: `${TRACE}-${SPAN}` }),
      );
      expect(deferred.isRecording()).toBe(true); // the receiver decides a deferred trace
      const upstream = withUpstream(ROOT_CONTEXT, { 'uber-trace-id': `${TRACE}:${SPAN}:0:3` });
      const carrier: Record<string, string> = {};
      createPropagator('b3single').inject(
        trace.setSpan(upstream, tracer.startSpan('child', {}, upstream)),
        carrier,
        defaultTextMapSetter,
      );
      expect(carrier.b3).toMatch(/-d$/);
      return provider.shutdown();
    });

    it('gives the base context back when no header names a caller', () => {
      expect(withUpstream(ROOT_CONTEXT, { b3: 'garbage' })).toBe(ROOT_CONTEXT);
    });
  });

  describe('when an FC 3.0 HTTP-trigger event carries a debug or deferred upstream and FC gave no span', () => {
    const exporter = new InMemorySpanExporter();
    const provider = createTracerProvider({
      sampler: { type: 'const', param: 0 },
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const event = (headers: Record<string, string>) =>
      Buffer.from(
        JSON.stringify({
          version: 'v1',
          rawPath: '/',
          headers,
          body: '',
          isBase64Encoded: false,
          requestContext: { http: { method: 'GET', path: '/' }, requestId: 'r' },
        }),
      );
    beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
    afterAll(async () => {
      context.disable();
      await provider.shutdown();
    });

    it('samples the invocation under a debug upstream and sends debug on from its calls', async () => {
      const outgoing: Record<string, string> = {};
      const handler = tracedHandler(
        async () => {
          createPropagator('jaeger').inject(context.active(), outgoing, defaultTextMapSetter);
          return { statusCode: 200 };
        },
        { tracerProvider: provider },
      );
      await handler(
        event({ b3: `${TRACE}-${SPAN}-d` }),
        fcContext({ tracing: { openTracingSpanBaggages: {} } }),
      );
      const [span] = exporter.getFinishedSpans();
      expect(span.parentSpanContext?.spanId).toBe(SPAN);
      expect(outgoing['uber-trace-id']).toMatch(new RegExp(`^${TRACE}:[0-9a-f]{16}:0:3$`));
    });
  });

  describe('when the headers are hostile', () => {
    it('ignores values longer than 8192 characters, as every Tracery propagator does', () => {
      expect(
        upstreamSpanContext({ traceparent: `00-${TRACE}-${SPAN}-01${' '.repeat(8200)}` }),
      ).toBeUndefined();
      expect(upstreamSpanContext({ traceparent: `00-${TRACE}-${SPAN}-01${' '.repeat(600)}` })?.traceId).toBe(
        TRACE,
      );
    });

    it('returns undefined for non-objects', () => {
      for (const value of [undefined, null, 'traceparent', 3, []])
        expect(upstreamSpanContext(value)).toBeUndefined();
    });

    it('never throws on arbitrary header objects', () => {
      const name = fc.constantFrom(
        'traceparent',
        'uber-trace-id',
        'b3',
        'x-b3-traceid',
        'x-b3-spanid',
        'X-B3-Sampled',
      );
      fc.assert(
        fc.property(fc.dictionary(fc.oneof(name, fc.string()), fc.anything()), (headers) => {
          expect(() => upstreamSpanContext(headers)).not.toThrow();
        }),
        { numRuns: 1000 },
      );
    });
  });
});
