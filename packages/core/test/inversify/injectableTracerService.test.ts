import 'reflect-metadata';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Container } from 'inversify';
import { TracerService } from '@tracery/core';
import * as integration from '@tracery/core/inversify';

let service: TracerService | undefined;
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});

describe('TracerService', () => {
  describe('when @tracery/core/inversify has been imported', () => {
    it('is the very class of the main entry, so either import names the same binding', () => {
      expect(integration.TracerService).toBe(TracerService);
      expect(integration.TRACING_OPTIONS).toBe(Symbol.for('@tracery/core:TracingOptions'));
    });

    it('is built from the bound TRACING_OPTIONS when bound to itself', () => {
      const exporter = new InMemorySpanExporter();
      const container = new Container();
      container
        .bind(integration.TRACING_OPTIONS)
        .toConstantValue({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      container.bind(TracerService).toSelf().inSingletonScope();
      service = container.get(TracerService);
      service.startSpan('from-container').end();
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['from-container']);
    });

    it('is built with the defaults when TRACING_OPTIONS is not bound (they are optional)', () => {
      const container = new Container();
      container.bind(TracerService).toSelf().inSingletonScope();
      service = container.get(TracerService);
      const span = service.startSpan('with-defaults');
      expect(span.isRecording()).toBe(true); // enabled, sampling everything
      span.end();
    });
  });
});
