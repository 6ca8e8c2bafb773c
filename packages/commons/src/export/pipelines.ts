import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ExportPipeline,
  type ExportPipelineOptions,
  type ExportStats,
  type FlushResult,
} from './ExportPipeline';

/**
 * The key under which an exporter that sends every batch to several others (a fan-out) lists them, so that a
 * pipeline can be built for each destination: each then has its own queue, pace and outage reports, and a
 * destination that is down does not hold the others back.
 */
export const DESTINATIONS: unique symbol = Symbol.for('@tracery/commons:destinations') as never;

/** An exporter made of several destinations (see `DESTINATIONS`). */
export interface MultiDestinationExporter extends SpanExporter {
  readonly [DESTINATIONS]: readonly SpanExporter[];
}

/** The single exporters `exporter` sends to: its destinations if it is a fan-out (flattened), else itself. */
export function destinationsOf(exporter: SpanExporter): SpanExporter[] {
  const destinations = (exporter as Partial<MultiDestinationExporter>)[DESTINATIONS];
  if (!Array.isArray(destinations) || destinations.length === 0) return [exporter];
  return destinations.flatMap((destination: SpanExporter) => destinationsOf(destination));
}

/** One pipeline per destination of each exporter. */
export function pipelinesFor(
  exporters: readonly SpanExporter[],
  options: ExportPipelineOptions | undefined,
): ExportPipeline[] {
  return exporters.flatMap(destinationsOf).map((exporter) => new ExportPipeline(exporter, options));
}

const pipelinesByProvider = new WeakMap<object, readonly ExportPipeline[]>();

/** Records the pipelines a tracer provider was built with, so a flush can reach them with its own budget. */
export function registerPipelines(provider: object, pipelines: readonly ExportPipeline[]): void {
  pipelinesByProvider.set(provider, pipelines);
}

/** The pipelines `provider` was built with by Tracery, or `undefined` for a provider built elsewhere. */
export function pipelinesOf(provider: unknown): readonly ExportPipeline[] | undefined {
  return typeof provider === 'object' && provider !== null ? pipelinesByProvider.get(provider) : undefined;
}

/** Flushes every pipeline within `timeoutMs`; the results added up (complete only if each is). Never rejects. */
export function flushPipelines(
  pipelines: readonly ExportPipeline[],
  timeoutMs?: number,
): Promise<FlushResult> {
  if (pipelines.length === 1) return pipelines[0].flush(timeoutMs);
  return Promise.all(pipelines.map((pipeline) => pipeline.flush(timeoutMs))).then((results) =>
    results.reduce<FlushResult>(
      (sum, r) => ({
        complete: sum.complete && r.complete,
        delivered: sum.delivered + r.delivered,
        dropped: sum.dropped + r.dropped,
      }),
      { complete: true, delivered: 0, dropped: 0 },
    ),
  );
}

/** The stats of several pipelines added up. */
export function sumStats(pipelines: readonly ExportPipeline[]): ExportStats {
  const sum: ExportStats = {
    queued: 0,
    inFlight: 0,
    delivered: 0,
    dropped: { queueFull: 0, exportFailed: 0, exporter: 0, afterShutdown: 0 },
  };
  for (const { stats } of pipelines) {
    sum.queued += stats.queued;
    sum.inFlight += stats.inFlight;
    sum.delivered += stats.delivered;
    sum.dropped.queueFull += stats.dropped.queueFull;
    sum.dropped.exportFailed += stats.dropped.exportFailed;
    sum.dropped.exporter += stats.dropped.exporter;
    sum.dropped.afterShutdown += stats.dropped.afterShutdown;
  }
  return sum;
}
