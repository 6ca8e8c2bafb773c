// sampling.priority, jaeger-debug-id and Jaeger's debug flag, checked against jaeger-client itself: each scenario
// runs on jaeger-client's Tracer (const sampler, in-memory reporter) and on ours (the same sampler config, on a
// provider of @tracery/core), and what each reports must be the same but for the differences the README lists.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, type Sampler } from '@opentelemetry/sdk-trace-base';
import { isDebugSpan } from '@tracery/commons';
import { createTracerProvider, Traced, TracerService, type PropagationFormat } from '@tracery/core';
import { OpenTracingTracer, withSpan, type OpenTracingSpanContext } from '@tracery/opentracing';
import * as opentracing from 'opentracing';
import { jaegerSampler } from '../../src/config/jaegerSampler';
import { captureDiag } from '../../../../test/support/captureDiag';

/** jaeger-client 3.19, a devDependency: the behaviour to match. */
interface JaegerClientSpan extends opentracing.Span {
  operationName: string;
  _tags: { key: string; value: unknown }[];
  context(): opentracing.SpanContext & { isDebug(): boolean };
}
const jaegerClient = require('jaeger-client') as {
  Tracer: new (service: string, reporter: unknown, sampler: unknown) => opentracing.Tracer;
  InMemoryReporter: new () => { readonly spans: JaegerClientSpan[] };
  ConstSampler: new (decision: boolean) => unknown;
};

const PRIORITY = opentracing.Tags.SAMPLING_PRIORITY;

/** A reported span as both tracers' spans compare: its name, its tags as `key=value`, its debug flag. */
interface Reported {
  name: string;
  tags: string[];
  debug: boolean;
}
interface Outcome {
  reported: Reported[];
  /** The flags of the `uber-trace-id` the scenario injected, if it did. */
  injectedFlags?: string;
}
type Scenario = (tracer: opentracing.Tracer) => Record<string, unknown> | void;

const byName = (a: Reported, b: Reported) => a.name.localeCompare(b.name);
const flagsOf = (headers: Record<string, unknown> | void) =>
  headers ? String(headers['uber-trace-id']).split(':')[3] : undefined;

function runOnJaegerClient(sampled: boolean, scenario: Scenario): Outcome {
  const reporter = new jaegerClient.InMemoryReporter();
  const tracer = new jaegerClient.Tracer('svc', reporter, new jaegerClient.ConstSampler(sampled));
  const headers = scenario(tracer);
  const reported = reporter.spans.map((span) => ({
    name: span.operationName,
    tags: span._tags.map((tag) => `${tag.key}=${String(tag.value)}`).sort(),
    debug: span.context().isDebug(),
  }));
  return { reported: reported.sort(byName), injectedFlags: flagsOf(headers) };
}

function runOnTracery(sampled: boolean, scenario: Scenario): Outcome {
  const exporter = new InMemorySpanExporter();
  const provider = createTracerProvider({
    sampler: jaegerSampler({ type: 'const', param: sampled ? 1 : 0 }, undefined) as Sampler,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const headers = scenario(new OpenTracingTracer({ tracerProvider: provider }));
  const reported = exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    tags: Object.entries(span.attributes)
      .map(([key, value]) => `${key}=${String(value)}`)
      .sort(),
    debug: isDebugSpan(span.spanContext()),
  }));
  return { reported: reported.sort(byName), injectedFlags: flagsOf(headers) };
}

const inject = (tracer: opentracing.Tracer, span: opentracing.Span) => {
  const headers: Record<string, unknown> = {};
  tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, headers);
  return headers;
};

/** Scenarios where both tracers report the same. [name, the const sampler's decision, scenario] */
const SAME: [string, boolean, Scenario][] = [
  [
    'a root started with sampling.priority 1 under a sampler that samples nothing, and its child',
    false,
    (tracer) => {
      const root = tracer.startSpan('root', { tags: { [PRIORITY]: 1, 'order.id': 'o-1' } });
      const child = tracer.startSpan('child', { childOf: root });
      child.finish();
      root.finish();
      return inject(tracer, child);
    },
  ],
  [
    'a root started with sampling.priority 1 under a sampler that samples it anyway (its tags kept)',
    true,
    (tracer) => tracer.startSpan('root', { tags: { [PRIORITY]: 1 } }).finish(),
  ],
  [
    "sampling.priority values as jaeger-client reads them ('1', true, 0.5 force; -1, 'abc', null do not)",
    false,
    (tracer) => {
      for (const value of ['1', true, 0.5, -1, 'abc', null]) {
        tracer.startSpan(`priority ${String(value)}`, { tags: { [PRIORITY]: value } }).finish();
      }
    },
  ],
  [
    'a root started with sampling.priority 0 under a sampler that samples everything, and its child',
    true,
    (tracer) => {
      const root = tracer.startSpan('root', { tags: { [PRIORITY]: 0 } });
      const child = tracer.startSpan('child', { childOf: root });
      child.finish();
      root.finish();
      return inject(tracer, child);
    },
  ],
  [
    'sampling.priority 1 set right after the start of an unsampled root, as jaeger-client’s README does it',
    false,
    (tracer) => {
      const root = tracer.startSpan('root');
      root.setTag(PRIORITY, 1);
      root.setTag('order.id', 'o-1');
      const child = tracer.startSpan('child', { childOf: root });
      child.finish();
      root.finish();
      return inject(tracer, root);
    },
  ],
  [
    'sampling.priority 1 given with other tags in addTags right after the start (the priority first)',
    false,
    (tracer) => {
      const root = tracer.startSpan('root');
      root.addTags({ 'order.id': 'o-1', [PRIORITY]: 1 });
      root.finish();
    },
  ],
  [
    'sampling.priority 1 set on a sampled span, then given to a child (not repeated on it)',
    true,
    (tracer) => {
      const root = tracer.startSpan('root');
      root.setTag(PRIORITY, 1);
      const child = tracer.startSpan('child', { childOf: root, tags: { [PRIORITY]: 1 } });
      child.finish();
      root.finish();
      return inject(tracer, child);
    },
  ],
  [
    'a request with jaeger-debug-id and no trace context: a debug root tagged with the id',
    false,
    (tracer) => {
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'ticket-4711' });
      const root = tracer.startSpan('root', { childOf: parent! });
      const child = tracer.startSpan('child', { childOf: root });
      child.finish();
      root.finish();
      return inject(tracer, child);
    },
  ],
  [
    'a request with jaeger-debug-id and an unsampled uber-trace-id: the debug id is ignored',
    false,
    (tracer) => {
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'jaeger-debug-id': 'ticket-4711',
        'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c4d5e6f708192:0:0',
      });
      const root = tracer.startSpan('root', { childOf: parent! });
      root.finish();
      return inject(tracer, root);
    },
  ],
  [
    "a caller's debug flag (uber-trace-id flags 3), continued and sent on",
    false,
    (tracer) => {
      const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, {
        'uber-trace-id': '5d2c3a1f9e8b7a60:2b3c4d5e6f708192:0:3',
      });
      const server = tracer.startSpan('server', { childOf: parent! });
      server.finish();
      return inject(tracer, server);
    },
  ],
];

describe('sampling.priority, jaeger-debug-id and the debug flag, against jaeger-client', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => context.disable());

  describe.each(SAME)('when %s', (_name, sampled, scenario) => {
    it('reports the same spans, tags and debug flags, and injects the same flags', () => {
      const theirs = runOnJaegerClient(sampled, scenario);
      expect(runOnTracery(sampled, scenario)).toEqual(theirs);
      expect(theirs.reported.length + (theirs.injectedFlags === undefined ? 0 : 1)).toBeGreaterThan(0);
    });
  });

  describe('where the README lists a difference', () => {
    it('keeps the start tags of a span sampled by a later sampling.priority (jaeger-client dropped them)', () => {
      const scenario: Scenario = (tracer) => {
        const root = tracer.startSpan('root', { tags: { 'order.id': 'o-1' } });
        root.setTag(PRIORITY, 1);
        root.finish();
      };
      expect(runOnJaegerClient(false, scenario).reported).toEqual([
        { name: 'root', tags: ['sampling.priority=1'], debug: true },
      ]);
      expect(runOnTracery(false, scenario).reported).toEqual([
        { name: 'root', tags: ['order.id=o-1', 'sampling.priority=1'], debug: true },
      ]);
    });

    it('samples only the spans after a late sampling.priority on a span already used as a parent (reported once)', () => {
      const scenario: Scenario = (tracer) => {
        const root = tracer.startSpan('root');
        const before = tracer.startSpan('before', { childOf: root });
        root.setTag(PRIORITY, 1);
        const after = tracer.startSpan('after', { childOf: root });
        after.finish();
        before.finish();
        root.finish();
        return inject(tracer, root);
      };
      expect(runOnJaegerClient(false, scenario).reported.map((span) => span.name)).toEqual([
        'after',
        'before',
        'root',
      ]);
      const diagnostics = captureDiag();
      const ours = runOnTracery(false, scenario);
      diagnostics.restore();
      expect(ours).toEqual({ reported: [{ name: 'after', tags: [], debug: true }], injectedFlags: '3' });
      expect(diagnostics.including('samples the spans after it, not the span itself')).toHaveLength(1);
    });

    it('does not record the parent, started before, of a child started with sampling.priority 1', () => {
      const scenario: Scenario = (tracer) => {
        const parent = tracer.startSpan('parent');
        const child = tracer.startSpan('child', { childOf: parent, tags: { [PRIORITY]: 1 } });
        const grandchild = tracer.startSpan('grandchild', { childOf: child });
        grandchild.finish();
        child.finish();
        parent.finish();
        return inject(tracer, grandchild);
      };
      const names = (outcome: Outcome) => outcome.reported.map((span) => span.name);
      expect(names(runOnJaegerClient(false, scenario))).toEqual(['child', 'grandchild', 'parent']);
      const ours = runOnTracery(false, scenario);
      expect(names(ours)).toEqual(['child', 'grandchild']);
      expect(ours.reported.every((span) => span.debug)).toBe(true);
      expect(ours.injectedFlags).toBe('3');
    });

    it('does not unsample a sampled span, nor its parent, with a later or a child’s sampling.priority 0', () => {
      const late: Scenario = (tracer) => {
        const root = tracer.startSpan('root');
        root.setTag(PRIORITY, 0);
        root.finish();
      };
      const child: Scenario = (tracer) => {
        const root = tracer.startSpan('root');
        tracer.startSpan('child', { childOf: root, tags: { [PRIORITY]: 0 } }).finish();
        root.finish();
      };
      expect(runOnJaegerClient(true, late).reported).toEqual([]);
      expect(runOnJaegerClient(true, child).reported).toEqual([]);
      const diagnostics = captureDiag();
      expect(runOnTracery(true, late).reported.map((span) => span.name)).toEqual(['root']);
      expect(runOnTracery(true, child).reported.map((span) => span.name)).toEqual(['root']);
      diagnostics.restore();
      expect(diagnostics.including('does not unsample it')).toHaveLength(1);
    });
  });

  describe('a debug trace in the rest of Tracery', () => {
    class Inventory {
      @Traced()
      async reserve(): Promise<string> {
        await new Promise((resolve) => setImmediate(resolve));
        return 'reserved';
      }
    }
    let tracing: TracerService;
    let exporter: InMemorySpanExporter;
    beforeEach(() => {
      context.disable(); // TracerService registers its own context manager
      exporter = new InMemorySpanExporter();
      tracing = new TracerService({
        sampler: { type: 'const', param: 0 },
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
    });
    afterEach(async () => {
      await tracing.shutdown();
      context.setGlobalContextManager(contextManager.enable());
    });

    it('samples the @Traced methods run inside withSpan of a sampling.priority span, under const 0, and sends debug on', async () => {
      const tracer = new OpenTracingTracer({ tracerProvider: tracing.provider });
      const span = tracer.startSpan('checkout', { tags: { [PRIORITY]: 1 } });
      const headers: Record<string, unknown> = {};
      await withSpan(span, async () => {
        await new Inventory().reserve();
        tracing.inject(headers, 'jaeger'); // the active context: the OpenTracing span's
      });
      span.finish();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['Inventory.reserve', 'checkout']);
      expect(exporter.getFinishedSpans().every((s) => isDebugSpan(s.spanContext()))).toBe(true);
      expect(headers['uber-trace-id']).toBe(`${span.context().toTraceId()}:${span.context().toSpanId()}:0:3`);
    });

    it.each<
      [PropagationFormat, Record<string, string>, (traceId: string, spanId: string) => Record<string, string>]
    >([
      [
        'b3single',
        { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d' },
        (t, s) => ({ b3: `${t}-${s}-d` }),
      ],
      [
        'b3',
        {
          'X-B3-TraceId': '80f198ee56343ba864fe8b2a57d3eff7',
          'X-B3-SpanId': 'e457b5a2e4d86bd1',
          'X-B3-Flags': '1',
        },
        (t, s) => ({ 'x-b3-traceid': t, 'x-b3-spanid': s, 'x-b3-flags': '1' }),
      ],
      [
        'w3c',
        { traceparent: '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-00' },
        (t, s) => ({ traceparent: `00-${t}-${s}-01` }),
      ],
    ])(
      'carries the debug flag in the %s format: extracted, continued, sent on',
      (propagation, incoming, expected) => {
        const tracer = new OpenTracingTracer({ tracerProvider: tracing.provider, propagation });
        const parent = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, incoming) as OpenTracingSpanContext;
        // W3C has no debug flag: an unsampled traceparent continued by a span with sampling.priority 1.
        const tags = propagation === 'w3c' ? { [PRIORITY]: 1 } : {};
        const server = tracer.startSpan('server', { childOf: parent, tags });
        const headers = inject(tracer, server);
        server.finish();
        expect(parent.isDebug()).toBe(propagation !== 'w3c');
        expect((server.context() as OpenTracingSpanContext).isDebug()).toBe(true);
        expect((server.context() as OpenTracingSpanContext).isSampled()).toBe(true);
        expect(headers).toEqual(expected('80f198ee56343ba864fe8b2a57d3eff7', server.context().toSpanId()));
        expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['server']);
      },
    );
  });
});
