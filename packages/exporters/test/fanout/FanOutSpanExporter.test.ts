import { destinationsOf } from '@tracery/commons';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createExporter } from '@tracery/exporters';
import { FanOutSpanExporter } from '../../src/fanout/FanOutSpanExporter';
import { MemorySpanExporter } from '../../src/memory/MemorySpanExporter';
import { startFakeJaegerCollector } from '../../../../test/support/fakeJaegerCollector';
import { startFakeOtlpCollector } from '../../../../test/support/fakeOtlpCollector';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

class ScriptedExporter implements SpanExporter {
  calls = { export: 0, forceFlush: 0, shutdown: 0 };
  constructor(private readonly behaviour: 'fail' | 'throw' | 'reject') {}
  export(_spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.calls.export++;
    if (this.behaviour === 'throw') throw new Error('export blew up');
    done({ code: ExportResultCode.FAILED, error: new Error('collector said no') });
  }
  forceFlush(): Promise<void> {
    this.calls.forceFlush++;
    return this.behaviour === 'reject' ? Promise.reject(new Error('flush failed')) : Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.calls.shutdown++;
    if (this.behaviour === 'throw') throw new Error('shutdown blew up');
    return this.behaviour === 'reject' ? Promise.reject(new Error('shutdown failed')) : Promise.resolve();
  }
}

describe(FanOutSpanExporter, () => {
  describe('when created from a list of configs', () => {
    it('sends every batch to each exporter (memory and a real OTLP collector)', async () => {
      const collector = await startFakeOtlpCollector();
      try {
        const exporter = createExporter([{ kind: 'memory' }, { kind: 'otlp', url: collector.url }]);
        expect(exporter).toBeInstanceOf(FanOutSpanExporter);
        const result = await exportOnce(exporter, recordSampleTrace());
        await exporter.shutdown();

        expect(result.code).toBe(ExportResultCode.SUCCESS);
        const memory = (exporter as FanOutSpanExporter).exporters[0] as MemorySpanExporter;
        expect(memory.getFinishedSpans()).toHaveLength(3);
        expect(collector.spans.map((s) => s.name).sort()).toEqual(['charge', 'checkout', 'http.request']);
      } finally {
        await collector.close();
      }
    });
  });

  describe('when Jaeger and OTLP run side by side (a migration)', () => {
    it('puts the same trace, ids and parents at both collectors', async () => {
      const jaeger = await startFakeJaegerCollector();
      const otlp = await startFakeOtlpCollector();
      try {
        const exporter = createExporter([
          { kind: 'jaeger', endpoint: jaeger.url },
          { kind: 'otlp', url: otlp.url },
        ]);
        const spans = recordSampleTrace();
        expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
        await exporter.shutdown();

        const fromJaeger = jaeger
          .spans()
          .map((s) => `${s.traceId}/${s.spanId}/${s.parentSpanId}/${s.operationName}`)
          .sort();
        const fromOtlp = otlp.spans
          .map((s) => `${s.traceId}/${s.spanId}/${s.parentSpanId || '0000000000000000'}/${s.name}`)
          .sort();
        expect(fromJaeger).toHaveLength(3);
        expect(fromJaeger).toEqual(fromOtlp);
        expect(jaeger.batches[0].serviceName).toBe('shop');
        expect(otlp.spans[0].resource['service.name']).toBe('shop');
      } finally {
        await jaeger.close();
        await otlp.close();
      }
    });
  });

  describe('when one exporter fails or throws', () => {
    it.each(['fail', 'throw'] as const)(
      'still feeds the others and reports FAILED (%s)',
      async (behaviour) => {
        const memory = new MemorySpanExporter();
        const bad = new ScriptedExporter(behaviour);
        const exporter = new FanOutSpanExporter([bad, memory]);
        const result = await exportOnce(exporter, recordSampleTrace());

        expect(result.code).toBe(ExportResultCode.FAILED);
        expect(result.error?.message).toMatch(/collector said no|export blew up/);
        expect(memory.getFinishedSpans()).toHaveLength(3);
      },
    );
  });

  describe('when taken apart by the export pipeline', () => {
    it('lists its exporters as the destinations, each of which gets a pipeline of its own', () => {
      const first = new MemorySpanExporter();
      const second = new MemorySpanExporter();
      const nested = new FanOutSpanExporter([second, new FanOutSpanExporter([first])]);
      expect(destinationsOf(new FanOutSpanExporter([first, nested]))).toEqual([first, second, first]);
      expect(destinationsOf(first)).toEqual([first]);
    });
  });

  describe('when flushed or shut down', () => {
    it('reaches every exporter, and resolves even when some reject or throw', async () => {
      const bad = new ScriptedExporter('reject');
      const thrower = new ScriptedExporter('throw');
      const memory = new MemorySpanExporter();
      const exporter = new FanOutSpanExporter([bad, thrower, memory]);

      await expect(exporter.forceFlush()).resolves.toBeUndefined();
      await expect(exporter.shutdown()).resolves.toBeUndefined();
      expect(bad.calls).toMatchObject({ forceFlush: 1, shutdown: 1 });
      expect(thrower.calls).toMatchObject({ forceFlush: 1, shutdown: 1 });
      expect((await exportOnce(memory, recordSampleTrace())).code).toBe(ExportResultCode.FAILED); // shut down
    });
  });
});
