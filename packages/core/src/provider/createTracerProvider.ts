import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ExportSlot, pipelinesFor, registerExportSlot, registerPipelines } from '@tracery/commons';
import { createSampler } from '../sampling/createSampler';
import { DebugSpanMarker } from './DebugSpanMarker';
import type { TracingOptions } from '../types';

// Defined here rather than imported: a require of @opentelemetry/semantic-conventions keeps its whole index (about
// 200 KB) in a bundle, where OpenTelemetry's own ES modules keep only the few names they import.
const ATTR_SERVICE_NAME = 'service.name';

/**
 * Builds a `NodeTracerProvider` from `options`: the resource (OpenTelemetry's defaults, then
 * `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`, then `options.resource`, then `options.serviceName`), the
 * sampler (`createSampler(options.sampler)`; a `remote` one asks for the resource's `service.name` and
 * stops polling when the provider shuts down), an `ExportPipeline` per exporter (per destination of a fan-out),
 * set up by `options.pipeline`, followed by `options.spanProcessors` (spans of debug traces are marked for the
 * exporters, which write them as debug: Jaeger flag `0x02`, Zipkin `debug`). With neither an exporter nor a span
 * processor the spans go nowhere until an exporter is put in the provider's export slot (`@tracery/fc` puts the
 * endpoints Function Compute hands its calls there). It does NOT register the provider globally (`TracerService`
 * does).
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
  const ownProcessors = options.spanProcessors ?? [];
  // Nowhere to send spans: keep a place where an exporter can be put later (@tracery/fc puts FC's endpoints).
  const slot = pipelines.length === 0 && ownProcessors.length === 0 ? new ExportSlot() : undefined;
  const spanProcessors: SpanProcessor[] = [
    new DebugSpanMarker(),
    ...pipelines,
    ...(slot ? [slot] : []),
    ...ownProcessors,
  ];
  let resource = defaultResource().merge(detectResources({ detectors: [envDetector] }));
  if (options.resource !== undefined) resource = resource.merge(resourceFromAttributes(options.resource));
  if (options.serviceName !== undefined) {
    resource = resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }));
  }
  const serviceName = resource.attributes[ATTR_SERVICE_NAME];
  const sampler = createSampler(options.sampler, process.env, {
    serviceName: typeof serviceName === 'string' ? serviceName : undefined,
  });
  if (typeof (sampler as Partial<Stoppable>).shutdown === 'function') {
    spanProcessors.push(stopsOnShutdown(sampler as Sampler & Stoppable));
  }
  const provider = new NodeTracerProvider({ resource, sampler, spanProcessors });
  registerPipelines(provider, pipelines);
  if (slot !== undefined) registerExportSlot(provider, slot);
  return provider;
}

/** A sampler with work in the background (a remote sampler's polling) to stop. */
interface Stoppable {
  shutdown(): void;
}

/** A processor doing nothing but stopping the sampler's background work when the provider shuts down. */
function stopsOnShutdown(sampler: Stoppable): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: () => undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => {
      sampler.shutdown();
      return Promise.resolve();
    },
  };
}
