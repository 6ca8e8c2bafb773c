import 'reflect-metadata';
import { TracerService } from '@tracery/core';
import { createExporter, type ExporterConfig } from '@tracery/exporters';
import { Kitchen, LINKED_TRACEPARENT } from '../support/kitchen';
import { startJaeger, type RunningJaeger } from './jaeger/jaeger';
import { readSpans, spanNamed, treesOf, type ReadSpan } from './jaeger/jaegerApi';
import {
  expectedKitchenLogs,
  expectedKitchenTags,
  KITCHEN_ORDER,
  string,
  type Fidelity,
} from './kitchenInJaeger';

const EXPORTERS: { label: string; fidelity: Fidelity; config: (jaeger: RunningJaeger) => ExporterConfig }[] =
  [
    {
      label: 'Jaeger Thrift over HTTP',
      fidelity: 'typed',
      config: (j) => ({ kind: 'jaeger', endpoint: j.thriftHttpUrl }),
    },
    { label: 'the Jaeger UDP agent', fidelity: 'typed', config: (j) => ({ kind: 'jaeger', agent: j.agent }) },
    {
      label: 'OTLP http/protobuf',
      fidelity: 'typed',
      config: (j) => ({ kind: 'otlp', url: j.otlpHttpUrl, protocol: 'http/protobuf' }),
    },
    {
      label: 'OTLP http/json',
      fidelity: 'typed',
      config: (j) => ({ kind: 'otlp', url: j.otlpHttpUrl, protocol: 'http/json' }),
    },
    { label: 'Zipkin v2', fidelity: 'zipkin', config: (j) => ({ kind: 'zipkin', url: j.zipkinUrl }) },
  ];

let jaeger: RunningJaeger;

beforeAll(async () => {
  jaeger = await startJaeger();
});

afterAll(async () => {
  await jaeger?.stop();
});

describe.each(EXPORTERS)(
  '@Traced service code exported to a real Jaeger through $label',
  ({ label, fidelity, config }) => {
    let serviceName: string;
    let spans: ReadSpan[];
    let traceWarnings: string[] | null;

    beforeAll(async () => {
      serviceName = `kitchen-${label.replace(/\W+/g, '-').toLowerCase()}`;
      const tracing = new TracerService({
        serviceName,
        resource: { 'service.version': '1.4.0', 'deployment.environment.name': 'e2e' },
        sampler: { type: 'const', param: 1 },
        exporter: createExporter(config(jaeger)),
      });
      const traceId = await new Kitchen(tracing).cook(KITCHEN_ORDER);
      await tracing.shutdown();
      const trace = await jaeger.waitForTrace(traceId, 5);
      traceWarnings = trace.warnings;
      spans = readSpans(trace);
    });

    it('stores the whole trace as one tree, every span under its parent, with its kind', () => {
      expect(spans).toHaveLength(5);
      const node = (name: string, kind: string) => ({ name, service: serviceName, kind, children: [] });
      expect(treesOf(spans)).toEqual([
        {
          ...node('Kitchen.cook', 'server'),
          children: [
            node('Courier.confirm', 'consumer'),
            node('Courier.dispatch', 'producer'),
            node('Pantry.audit', 'internal'),
            node('Pantry.reserve', 'client'),
          ],
        },
      ]);
    });

    it('has no warnings but clock-skew notes', () => {
      // OpenTelemetry JS starts a span on a whole millisecond (Date.now()) and measures its duration finely,
      // so a short child can seem to end up to 1 ms after its parent; Jaeger notes it (adjustment is off).
      expect(traceWarnings).toBeNull();
      const warnings = spans
        .flatMap((span) => span.warnings)
        .filter((w) => !/^clock skew adjustment disabled/.test(w));
      expect(warnings).toEqual([]);
    });

    it(
      fidelity === 'typed'
        ? 'shows the service name and resource as process tags'
        : 'shows the service name and the resource (Zipkin sends it as span tags; Jaeger lifts only some back)',
      () => {
        for (const span of spans) {
          expect(span.service).toBe(serviceName);
          expect(span.processTags).toMatchObject({
            'service.version': string('1.4.0'),
            'telemetry.sdk.language': string('nodejs'),
          });
          expect(fidelity === 'typed' ? span.processTags : span.tags).toMatchObject({
            'deployment.environment.name': string('e2e'),
          });
        }
      },
    );

    it('keeps the tags with their types', () => {
      const expected = expectedKitchenTags(fidelity);
      for (const name of Object.keys(expected)) {
        expect({ [name]: spanNamed(spans, name).tags }).toMatchObject({ [name]: expected[name] });
      }
    });

    it('flags only the span whose method threw as an error', () => {
      expect(spans.filter((span) => span.error).map((span) => span.name)).toEqual(['Pantry.audit']);
    });

    it('keeps the events as logs', () => {
      const expected = expectedKitchenLogs(fidelity);
      for (const span of spans) {
        expect({ [span.name]: span.logs }).toEqual({ [span.name]: expected[span.name] ?? [] });
      }
    });

    it(
      fidelity === 'typed'
        ? 'keeps the link as a FOLLOWS_FROM reference'
        : 'drops the link (Zipkin has none)',
      () => {
        const linked = LINKED_TRACEPARENT.split('-')[2];
        expect(spanNamed(spans, 'Courier.dispatch').followsFrom).toEqual(
          fidelity === 'typed' ? [linked] : [],
        );
        expect(
          spans.filter((span) => span.name !== 'Courier.dispatch').flatMap((span) => span.followsFrom),
        ).toEqual([]);
      },
    );
  },
);

describe('Zipkin v2 into Jaeger, when one span of a batch has a start time with nanoseconds', () => {
  // Once a bug (with @opentelemetry/exporter-zipkin 2.12): the span's `timestamp` was its start time in
  // microseconds, not rounded (1764632000123456.789); Jaeger's Zipkin receiver answered 400 ("cannot unmarshal
  // number ... into uint64") to the whole request, and every span of the batch was lost, the ordinary ones too.
  it('still stores every span of the batch', async () => {
    const tracing = new TracerService({
      serviceName: 'kitchen-zipkin-precise',
      exporter: createExporter({ kind: 'zipkin', url: jaeger.zipkinUrl }),
    });
    const seconds = Math.floor(Date.now() / 1000);
    const traceId = tracing.withSpan('oven.light', (light) => {
      tracing.startSpan('oven.preheat', { startTime: [seconds, 123456789] }).end([seconds, 124456789]);
      return light.spanContext().traceId;
    });
    // today the export fails (and shutdown says so): what counts here is what Jaeger kept
    await tracing.shutdown().catch(() => undefined);
    const spans = readSpans(await jaeger.waitForTrace(traceId, 2, 5000));
    expect(spans.map((span) => span.name).sort()).toEqual(['oven.light', 'oven.preheat']);
  });
});
