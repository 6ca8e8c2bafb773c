import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { pipelinesFor, registerPipelines } from '@tracery/commons';
import { createSampler } from '../sampling/createSampler';
import type { TracingOptions } from '../types';

/**
 * Builds a `NodeTracerProvider` from `options`: the resource (OpenTelemetry's defaults, then
 * `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`, then `options.resource`, then `options.serviceName`), the
 * sampler (`createSampler(options.sampler)`), an `ExportPipeline` per exporter (per destination of a fan-out),
 * set up by `options.pipeline`, followed by `options.spanProcessors`. It does NOT register the provider
 * globally (`TracerService` does).
 *
 * @example
 * const provider = createTracerProvider({ serviceName: 'orders', exporter: new ConsoleSpanExporter() });
 */
export function createTracerProvider(options: TracingOptions = {}): NodeTracerProvider {
  const exporters =
    options.exporter === undefined
      ? []
      : Array.isArray(options.exporter)
        ? options.exporter
        : [options.exporter];
  const pipelines = pipelinesFor(exporters, options.pipeline);
  const spanProcessors: SpanProcessor[] = [...pipelines, ...(options.spanProcessors ?? [])];
  let resource = defaultResource().merge(detectResources({ detectors: [envDetector] }));
  if (options.resource !== undefined) resource = resource.merge(resourceFromAttributes(options.resource));
  if (options.serviceName !== undefined) {
    resource = resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }));
  }
  const provider = new NodeTracerProvider({
    resource,
    sampler: createSampler(options.sampler),
    spanProcessors,
  });
  registerPipelines(provider, pipelines);
  return provider;
}
