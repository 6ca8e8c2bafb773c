import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ConsoleWaterfallExporter,
  createExporter,
  FanOutSpanExporter,
  JaegerAgentExporter,
  JaegerHttpExporter,
  MemorySpanExporter,
  NoneSpanExporter,
  OtlpHttpExporter,
  ZipkinExporter,
  type ExporterConfig,
} from '@tracery/exporters';
import { startFakeJaegerCollector } from '../../../test/support/fakeJaegerCollector';
import { exportOnce } from './support/exportOnce';
import { recordSampleTrace } from './support/sampleTrace';

const CLASSES = {
  JaegerHttpExporter,
  JaegerAgentExporter,
  OtlpHttpExporter,
  ZipkinExporter,
  ConsoleWaterfallExporter,
  MemorySpanExporter,
  FanOutSpanExporter,
  NoneSpanExporter,
};

const BUILT_BY: [keyof typeof CLASSES, ExporterConfig | ExporterConfig[]][] = [
  ['JaegerHttpExporter', { kind: 'jaeger', endpoint: 'http://127.0.0.1:14268/api/traces' }],
  ['JaegerAgentExporter', { kind: 'jaeger', agent: { host: '127.0.0.1', port: 6831 } }],
  ['OtlpHttpExporter', { kind: 'otlp', url: 'http://127.0.0.1:4318/v1/traces' }],
  ['ZipkinExporter', { kind: 'zipkin', url: 'http://127.0.0.1:9411' }],
  ['ConsoleWaterfallExporter', { kind: 'console', write: () => undefined }],
  ['MemorySpanExporter', { kind: 'memory' }],
  ['FanOutSpanExporter', [{ kind: 'none' }, { kind: 'memory' }]],
  ['NoneSpanExporter', { kind: 'none' }],
];

describe('the exporter classes', () => {
  describe.each(BUILT_BY)('when createExporter builds a %s', (name, config) => {
    let exporter: SpanExporter;

    beforeAll(() => {
      exporter = createExporter(config);
    });

    afterAll(() => exporter.shutdown());

    it('is an instance of that class and of no other', () => {
      const matching = Object.entries(CLASSES)
        .filter(([, Class]) => exporter instanceof Class)
        .map(([className]) => className);
      expect(matching).toEqual([name]);
    });

    it('has the class name', () => {
      expect(CLASSES[name].name).toBe(name);
    });
  });

  describe('when one is made with new', () => {
    it('sends like the one createExporter builds', async () => {
      const collector = await startFakeJaegerCollector();
      try {
        const exporter = new JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
        const result = await exportOnce(exporter, recordSampleTrace('made-with-new'));
        await exporter.shutdown();
        expect(result.code).toBe(0);
        expect(collector.batches.map((batch) => batch.serviceName)).toEqual(['made-with-new']);
        expect(collector.spans()).toHaveLength(3);
      } finally {
        await collector.close();
      }
    });

    it('keeps what it is given, as the memory exporter does', async () => {
      const memory = new MemorySpanExporter();
      await exportOnce(memory, recordSampleTrace());
      expect(memory.getFinishedSpans().map((span) => span.name)).toEqual([
        'http.request',
        'charge',
        'checkout',
      ]);
    });
  });

  describe('when a class of yours extends one', () => {
    it('inherits its behaviour and is an instance of both', async () => {
      class CountingExporter extends MemorySpanExporter {
        exports = 0;
        override export(...args: Parameters<MemorySpanExporter['export']>): void {
          this.exports++;
          super.export(...args);
        }
      }
      const counting = new CountingExporter();
      await exportOnce(counting, recordSampleTrace());
      expect(counting).toBeInstanceOf(MemorySpanExporter);
      expect(counting).toBeInstanceOf(CountingExporter);
      expect({ exports: counting.exports, spans: counting.getFinishedSpans().length }).toEqual({
        exports: 1,
        spans: 3,
      });
    });
  });

  describe('when called without new', () => {
    it('throws the TypeError a class throws', () => {
      expect(() => (NoneSpanExporter as unknown as () => unknown)()).toThrow(TypeError);
    });
  });
});
