import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExportPipeline, type ExportPipelineOptions } from './ExportPipeline';
import { pipelinesOf, registerPipelines } from './pipelines';

/**
 * The span processor a provider built by Tracery gets when it is given no exporter and no span processor: the
 * place where an export pipeline can still be put, once, later. Until then it drops every span. `@tracery/fc`
 * fills it with the endpoints Function Compute hands each call, so that a `TracerService` created without an
 * exporter inside a traced handler sends where the function's traces go instead of nowhere.
 */
export class ExportSlot implements SpanProcessor {
  private pipeline: ExportPipeline | undefined;
  private isShutdown = false;

  /** Whether a pipeline was put here. */
  get filled(): boolean {
    return this.pipeline !== undefined;
  }

  onStart(span: Span, parentContext: Context): void {
    this.pipeline?.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.pipeline?.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.pipeline?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    return this.pipeline?.shutdown() ?? Promise.resolve();
  }

  /** Puts `pipeline` here unless one is here already or the slot was shut down; says whether it did. */
  fill(pipeline: ExportPipeline): boolean {
    if (this.pipeline !== undefined || this.isShutdown) return false;
    this.pipeline = pipeline;
    return true;
  }
}

const slotsByProvider = new WeakMap<object, ExportSlot>();

/** Records the export slot a tracer provider was built with. */
export function registerExportSlot(provider: object, slot: ExportSlot): void {
  slotsByProvider.set(provider, slot);
}

/** The export slot of `provider`: only a provider Tracery built without any exporter or span processor has one. */
export function exportSlotOf(provider: unknown): ExportSlot | undefined {
  return typeof provider === 'object' && provider !== null ? slotsByProvider.get(provider) : undefined;
}

/**
 * Fills the export slot of `provider` with a pipeline to `exporter`, and adds that pipeline to the ones its flushes
 * reach (`pipelinesOf`). `undefined` (and nothing built) when the provider has no slot, or it is filled or shut down.
 */
export function fillExportSlot(
  provider: object,
  exporter: SpanExporter,
  options?: ExportPipelineOptions,
): ExportPipeline | undefined {
  const slot = slotsByProvider.get(provider);
  if (slot === undefined || slot.filled) return undefined;
  const pipeline = new ExportPipeline(exporter, options);
  if (!slot.fill(pipeline)) {
    void pipeline.shutdown();
    return undefined;
  }
  registerPipelines(provider, [...(pipelinesOf(provider) ?? []), pipeline]);
  return pipeline;
}
