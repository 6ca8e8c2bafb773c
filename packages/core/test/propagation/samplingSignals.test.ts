import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createPropagator, TracerService } from '@tracery/core';
import { headerGetter, headerSetter } from '../../src/propagation/headerCarrier';
import {
  isDebug,
  markSpanDebug,
  outgoingSignals,
  withDebug,
  withNotSampled,
} from '../../src/propagation/samplingSignals';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const spanContext = { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.NONE, isRemote: true };

describe('withDebug and isDebug', () => {
  it('bind the mark to the trace of the span in the context', () => {
    const marked = withDebug(trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(isDebug(marked)).toBe(true);
    expect(isDebug(marked, TRACE)).toBe(true);
    expect(isDebug(marked, 'f'.repeat(32))).toBe(false);
    expect(isDebug(trace.setSpanContext(ROOT_CONTEXT, spanContext))).toBe(false);
  });

  it('mark the next trace started in a context without a span ("debug this request")', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = new TracerService({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      sampler: { type: 'const', param: 0 },
      registerGlobal: false,
    });
    try {
      const root = tracing.startSpan('debugged', {}, withDebug(ROOT_CONTEXT));
      expect(root.isRecording()).toBe(true);
      expect(tracing.startSpan('plain', {}, ROOT_CONTEXT).isRecording()).toBe(false);
      const carrier: Record<string, string> = {};
      createPropagator('b3single').inject(
        trace.setSpan(withDebug(ROOT_CONTEXT), root),
        carrier,
        headerSetter,
      );
      expect(carrier.b3).toBe(`${root.spanContext().traceId}-${root.spanContext().spanId}-d`);
    } finally {
      await tracing.shutdown();
    }
  });

  it('keep the random-trace-id flag of the trace', () => {
    const extracted = createPropagator('w3c').extract(
      ROOT_CONTEXT,
      { traceparent: `00-${TRACE}-${SPAN}-02` },
      headerGetter,
    );
    expect(outgoingSignals(withDebug(extracted), spanContext)).toEqual({
      debug: true,
      deferred: false,
      randomTraceId: true,
    });
  });
});

describe('withNotSampled', () => {
  it('leaves a root and a child of a sampled (even debug) parent unsampled, the child in its trace', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = new TracerService({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      registerGlobal: false,
    });
    try {
      const root = tracing.startSpan('root', {}, withNotSampled(ROOT_CONTEXT));
      const parent = withDebug(
        trace.setSpanContext(ROOT_CONTEXT, { ...spanContext, traceFlags: TraceFlags.SAMPLED }),
      );
      const child = tracing.startSpan('child', {}, withNotSampled(parent));
      const carrier: Record<string, string> = {};
      createPropagator('jaeger').inject(trace.setSpan(withNotSampled(parent), child), carrier, headerSetter);
      expect([root.isRecording(), child.isRecording()]).toEqual([false, false]);
      expect(child.spanContext().traceId).toBe(TRACE);
      expect(carrier['uber-trace-id']).toBe(`${TRACE}:${child.spanContext().spanId}:0:0`);
      expect(tracing.startSpan('sampled', {}, ROOT_CONTEXT).isRecording()).toBe(true);
    } finally {
      await tracing.shutdown();
    }
  });
});

describe('markSpanDebug', () => {
  it('makes a span already started debug for what is built from it: children and injected headers', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = new TracerService({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      sampler: { type: 'const', param: 0 },
      registerGlobal: false,
    });
    try {
      const span = tracing.startSpan('late');
      expect(markSpanDebug(span)).toEqual({
        traceId: span.spanContext().traceId,
        state: 'debug',
        randomTraceId: false,
      });
      const headers: Record<string, unknown> = {};
      tracing.inject(headers, 'b3single', span);
      expect(headers.b3).toBe(`${span.spanContext().traceId}-${span.spanContext().spanId}-d`);
      expect(tracing.startSpan('child', {}, span).isRecording()).toBe(true);
    } finally {
      await tracing.shutdown();
    }
  });
});
