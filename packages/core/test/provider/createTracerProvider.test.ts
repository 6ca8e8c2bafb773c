import { ROOT_CONTEXT } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { fillExportSlot } from '@tracery/commons';
import { createTracerProvider, TracerService } from '@tracery/core';

describe('createTracerProvider', () => {
  describe('when given options', () => {
    it('builds the resource from serviceName and resource attributes', async () => {
      const exporter = new InMemorySpanExporter();
      const provider = createTracerProvider({
        serviceName: 'billing',
        resource: { 'deployment.environment': 'test', 'service.name': 'overridden' },
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      provider.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).end();
      const [span] = exporter.getFinishedSpans();
      expect(span.resource.attributes).toMatchObject({
        'service.name': 'billing',
        'deployment.environment': 'test',
        'telemetry.sdk.language': 'nodejs',
      });
      await provider.shutdown();
    });

    it('gives each exporter a batch processor, exported on flush', async () => {
      const batches: string[][] = [];
      const exporter = {
        export: (spans: { name: string }[], done: (r: { code: number }) => void) => {
          batches.push(spans.map((s) => s.name));
          done({ code: 0 });
        },
        shutdown: () => Promise.resolve(),
      };
      const provider = createTracerProvider({ exporter: [exporter, exporter] });
      provider.getTracer('t').startSpan('batched', {}, ROOT_CONTEXT).end();
      expect(batches).toEqual([]);
      await provider.forceFlush();
      expect(batches).toEqual([['batched'], ['batched']]);
      await provider.shutdown();
    });

    it('uses the configured sampler', async () => {
      const exporter = new InMemorySpanExporter();
      const provider = createTracerProvider({
        sampler: { type: 'const', param: 0 },
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      expect(provider.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).isRecording()).toBe(false);
      await provider.shutdown();
    });
  });

  describe('when given nothing', () => {
    it('builds a NodeTracerProvider without registering it', async () => {
      const provider = createTracerProvider();
      expect(provider).toBeInstanceOf(NodeTracerProvider);
      const { trace } = await import('@opentelemetry/api');
      expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
      await provider.shutdown();
    });

    it('takes the service name from OTEL_SERVICE_NAME', async () => {
      process.env.OTEL_SERVICE_NAME = 'from-env';
      const exporter = new InMemorySpanExporter();
      let provider: NodeTracerProvider;
      try {
        provider = createTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      } finally {
        delete process.env.OTEL_SERVICE_NAME;
      }
      provider.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).end();
      expect(exporter.getFinishedSpans()[0].resource.attributes['service.name']).toBe('from-env');
      await provider.shutdown();
    });
  });

  describe('when the environment configures it', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of ['OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME', 'OTEL_TRACES_SAMPLER']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    });

    it('merges OTEL_RESOURCE_ATTRIBUTES under the resource option and serviceName', async () => {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=payments,region=eu,service.name=from-env';
      process.env.OTEL_SERVICE_NAME = 'from-service-env';
      const exporter = new InMemorySpanExporter();
      const provider = createTracerProvider({
        serviceName: 'from-option',
        resource: { region: 'us' },
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      provider.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).end();
      expect(exporter.getFinishedSpans()[0].resource.attributes).toMatchObject({
        team: 'payments',
        region: 'us',
        'service.name': 'from-option',
      });
      await provider.shutdown();
    });

    it('samples by OTEL_TRACES_SAMPLER when no sampler is given, and by the option when one is', async () => {
      process.env.OTEL_TRACES_SAMPLER = 'always_off';
      const fromEnv = createTracerProvider();
      const fromOption = createTracerProvider({ sampler: { type: 'const', param: 1 } });
      expect(fromEnv.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).isRecording()).toBe(false);
      expect(fromOption.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).isRecording()).toBe(true);
      await Promise.all([fromEnv.shutdown(), fromOption.shutdown()]);
    });
  });

  describe('when given neither an exporter nor a span processor', () => {
    const memoryExporter = () => new InMemorySpanExporter();

    it('drops spans until an exporter is put in its export slot, then exports the later ones', async () => {
      const provider = createTracerProvider({ serviceName: 'late' });
      const tracer = provider.getTracer('t');
      tracer.startSpan('before', {}, ROOT_CONTEXT).end();
      const exporter = memoryExporter();
      expect(fillExportSlot(provider, exporter)).toBeDefined();
      tracer.startSpan('after', {}, ROOT_CONTEXT).end();
      await provider.forceFlush();
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['after']);
      await provider.shutdown();
    });

    it('takes one exporter only', async () => {
      const provider = createTracerProvider();
      expect(fillExportSlot(provider, memoryExporter())).toBeDefined();
      expect(fillExportSlot(provider, memoryExporter())).toBeUndefined();
      await provider.shutdown();
    });

    it('takes none once shut down', async () => {
      const provider = createTracerProvider();
      await provider.shutdown();
      expect(fillExportSlot(provider, memoryExporter())).toBeUndefined();
    });

    it("lets a TracerService's flush and stats reach the exporter put there", async () => {
      const service = new TracerService({ registerGlobal: false });
      const exporter = memoryExporter();
      fillExportSlot(service.provider, exporter);
      service.withSpan('work', () => undefined);
      expect(await service.flush()).toEqual({ complete: true, delivered: 1, dropped: 0 });
      expect(service.exportStats().delivered).toBe(1);
      await service.shutdown();
    });
  });

  describe('when given an exporter or a span processor', () => {
    it('has no export slot: its spans go where it was told only', async () => {
      const withExporter = createTracerProvider({ exporter: new InMemorySpanExporter() });
      const withProcessor = createTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
      });
      expect(fillExportSlot(withExporter, new InMemorySpanExporter())).toBeUndefined();
      expect(fillExportSlot(withProcessor, new InMemorySpanExporter())).toBeUndefined();
      await Promise.all([withExporter.shutdown(), withProcessor.shutdown()]);
    });
  });
});
