import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  asError,
  EXPORT_SUCCESS,
  exportFailed,
  isExportSuccess,
  type DeliveryResult,
} from '@tracery/commons';

/** Most per-endpoint exporters kept; the least recently used one is shut down beyond that. */
const DEFAULT_MAX_EXPORTERS = 2;
/** Most trace ids remembered with their endpoint. */
const DEFAULT_MAX_ROUTES = 1024;

/**
 * Sends each span to the collector of the invocation it belongs to. FC hands the collector URL to each call
 * (`context.tracing.jaegerEndpoint`), so the endpoint can change from one call to the next: every invocation
 * registers its trace id with its endpoint (`route`), spans of unknown traces go to the last endpoint seen.
 * Keeps one exporter per endpoint, at most `maxExporters`, and at most `maxRoutes` trace ids: nothing grows
 * without bound.
 */
export class EndpointRoutingExporter implements SpanExporter {
  /** Named in the export pipeline's messages (each endpoint's own exporter names its redacted URL). */
  readonly description = "jaeger http to the invocations' endpoints (context.tracing.jaegerEndpoint)";
  private readonly exporters = new Map<string, SpanExporter>();
  /**
   * The trace ids routed lately, in two generations of at most `maxRoutes / 2` each: when the current one is full
   * it becomes the previous one, and the previous one is dropped whole (no per-call eviction).
   */
  private currentRoutes = new Map<string, string>();
  private previousRoutes = new Map<string, string>();
  private lastEndpoint: string | undefined;
  /** The endpoint whose exporter was used last (the most recent in `exporters`). */
  private lastUsed: string | undefined;
  private isShutdown = false;

  /**
   * @param createFor builds the exporter of one endpoint
   * @param answersWithinMs the per-endpoint exporters answer every export within this many ms, so does this one
   */
  constructor(
    private readonly createFor: (endpoint: string) => SpanExporter,
    readonly answersWithinMs: number,
    private readonly maxExporters = DEFAULT_MAX_EXPORTERS,
    private readonly maxRoutes = DEFAULT_MAX_ROUTES,
  ) {}

  /** Records that the spans of `traceId` go to `endpoint`, which becomes the default for unknown traces. */
  route(traceId: string, endpoint: string): void {
    this.lastEndpoint = endpoint;
    this.currentRoutes.set(traceId, endpoint);
    if (this.currentRoutes.size >= Math.max(1, this.maxRoutes >> 1)) {
      this.previousRoutes = this.currentRoutes;
      this.currentRoutes = new Map();
    }
  }

  /** Where the spans of `traceId` go: its route, else the last endpoint seen. */
  private endpointOf(traceId: string): string | undefined {
    return this.currentRoutes.get(traceId) ?? this.previousRoutes.get(traceId) ?? this.lastEndpoint;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      resultCallback(exportFailed(new Error('exporter is shut down')));
      return;
    }
    const groups = this.groupByEndpoint(spans);
    if (groups.size === 0) {
      resultCallback(EXPORT_SUCCESS);
      return;
    }
    let pending = groups.size;
    let failure: ExportResult | undefined;
    let droppedSpans = 0;
    const reasons: string[] = [];
    const done = (result: DeliveryResult): void => {
      if (!isExportSuccess(result) && failure === undefined) failure = result;
      if (result.droppedSpans) {
        droppedSpans += result.droppedSpans;
        if (result.droppedReason) reasons.push(result.droppedReason);
      }
      if (--pending === 0) {
        if (failure !== undefined) resultCallback(failure);
        else if (droppedSpans > 0) {
          const delivery: DeliveryResult = { code: 0, droppedSpans, droppedReason: reasons.join('; ') };
          resultCallback(delivery);
        } else resultCallback(EXPORT_SUCCESS);
      }
    };
    for (const [endpoint, group] of groups) {
      let exporter: SpanExporter;
      try {
        exporter = this.exporterFor(endpoint);
      } catch (error) {
        done(exportFailed(asError(error)));
        continue;
      }
      let called = false;
      try {
        exporter.export(group, (result) => {
          if (called) return;
          called = true;
          done(result);
        });
      } catch (error) {
        if (!called) {
          called = true;
          done(exportFailed(asError(error)));
        }
      }
    }
  }

  /**
   * The spans by the endpoint of their trace (spans of unknown traces to the last endpoint seen, none without
   * one). The usual batch, one invocation's spans, goes whole to one endpoint: it is passed on as it is.
   */
  private groupByEndpoint(spans: ReadableSpan[]): Map<string, ReadableSpan[]> {
    const groups = new Map<string, ReadableSpan[]>();
    let single: string | undefined;
    let mixed = false;
    let lastTraceId: string | undefined;
    let endpoint: string | undefined;
    for (let i = 0; i < spans.length; i++) {
      const traceId = spans[i].spanContext().traceId;
      // The spans of one trace come in a row: one route look-up per run of them.
      if (traceId !== lastTraceId) {
        lastTraceId = traceId;
        endpoint = this.endpointOf(traceId);
      }
      if (i === 0) single = endpoint;
      else if (endpoint !== single) mixed = true;
    }
    if (!mixed) {
      if (single !== undefined) groups.set(single, spans);
      return groups;
    }
    lastTraceId = undefined;
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      if (traceId !== lastTraceId) {
        lastTraceId = traceId;
        endpoint = this.endpointOf(traceId);
      }
      if (endpoint === undefined) continue;
      const group = groups.get(endpoint);
      if (group === undefined) groups.set(endpoint, [span]);
      else group.push(span);
    }
    return groups;
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.exporters.values()].map((exporter) => exporter.forceFlush?.()));
  }

  /** Shuts every endpoint's exporter down; never rejects. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    const exporters = [...this.exporters.values()];
    this.exporters.clear();
    this.currentRoutes.clear();
    this.previousRoutes.clear();
    await Promise.allSettled(exporters.map((exporter) => exporter.shutdown()));
  }

  private exporterFor(endpoint: string): SpanExporter {
    let exporter = this.exporters.get(endpoint);
    if (exporter !== undefined) {
      // most recently used goes last (the usual case, the same endpoint again, is there already)
      if (this.lastUsed !== endpoint) {
        this.exporters.delete(endpoint);
        this.exporters.set(endpoint, exporter);
        this.lastUsed = endpoint;
      }
      return exporter;
    }
    exporter = this.createFor(endpoint);
    this.exporters.set(endpoint, exporter);
    this.lastUsed = endpoint;
    while (this.exporters.size > this.maxExporters) {
      const [oldestEndpoint, oldest] = this.exporters.entries().next().value as [string, SpanExporter];
      this.exporters.delete(oldestEndpoint);
      void Promise.resolve()
        .then(() => oldest.shutdown())
        .catch(() => undefined);
    }
    return exporter;
  }
}
