import 'reflect-metadata';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Container, inject, injectable } from 'inversify';
import { Traced } from '@tracery/core';
import {
  TRACER_PROVIDER,
  TRACING_OPTIONS,
  TracerService,
  tracingModule,
  type TracingOptions,
} from '@tracery/core/inversify';

@injectable()
class OrderService {
  constructor(@inject(TracerService) private readonly tracing: TracerService) {}

  @Traced()
  place(id: string) {
    this.tracing.setTag('order.id', id);
    return `placed ${id}`;
  }
}

describe('tracingModule', () => {
  describe('when loaded into a container', () => {
    it('binds the options, a singleton TracerService and its provider', async () => {
      const options: TracingOptions = { serviceName: 'orders', spanProcessors: [] };
      const container = new Container();
      await container.load(tracingModule(options));
      const service = container.get(TracerService);
      expect(container.get(TracerService)).toBe(service);
      expect(container.get(TRACING_OPTIONS)).toBe(options);
      expect(container.get<NodeTracerProvider>(TRACER_PROVIDER)).toBe(service.provider);
      expect(service.provider).toBeInstanceOf(NodeTracerProvider);
      await container.unbindAll();
    });

    it('traces decorated services resolved from the container', async () => {
      const exporter = new InMemorySpanExporter();
      const container = new Container();
      const module = tracingModule({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      await container.load(module);
      container.bind(OrderService).toSelf();
      expect(container.get(OrderService).place('o-1')).toBe('placed o-1');
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('OrderService.place');
      expect(span.attributes['order.id']).toBe('o-1');
      await container.unload(module);
    });
  });

  describe('when the module is loaded', () => {
    it('registers the provider at once, before anything is resolved', async () => {
      const exporter = new InMemorySpanExporter();
      const container = new Container();
      const module = tracingModule({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      await container.load(module);
      trace.getTracer('test').startSpan('early').end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['early']);
      await container.get(TracerService).shutdown();
      await container.unload(module);
    });
  });

  describe('when the module is loaded synchronously', () => {
    it('binds and registers as soon as loadSync returns', async () => {
      const exporter = new InMemorySpanExporter();
      const container = new Container();
      const module = tracingModule({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      container.loadSync(module);
      container.bind(OrderService).toSelf();
      expect(container.get(OrderService).place('o-3')).toBe('placed o-3');
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['OrderService.place']);
      await container.unload(module);
      expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
    });
  });

  describe('when the module is unloaded', () => {
    it('flushes and shuts the provider down and unregisters it globally', async () => {
      const exported: string[] = [];
      let shutDown = false;
      const exporter = {
        export: (spans: { name: string }[], done: (r: { code: number }) => void) => {
          exported.push(...spans.map((s) => s.name));
          done({ code: 0 });
        },
        shutdown: async () => {
          shutDown = true;
        },
      };
      const container = new Container();
      const module = tracingModule({ exporter });
      await container.load(module);
      container.get(TracerService); // inversify 7 deactivates only what it resolved (see the README)
      trace.getTracer('test').startSpan('pending').end(); // sits in the batch processor
      expect(exported).toEqual([]);
      await container.unload(module);
      expect(exported).toEqual(['pending']);
      expect(shutDown).toBe(true);
      expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
    });

    it('can be loaded again after unloading', async () => {
      const container = new Container();
      const first = tracingModule({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
      await container.load(first);
      container.get(TracerService);
      await container.unload(first);
      const exporter = new InMemorySpanExporter();
      const second = tracingModule({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      await container.load(second);
      container.bind(OrderService).toSelf();
      container.get(OrderService).place('o-2');
      expect(exporter.getFinishedSpans()).toHaveLength(1);
      await container.unload(second);
    });
  });
});
