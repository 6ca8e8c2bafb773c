import { context, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { AlwaysOffSampler, BasicTracerProvider, type Sampler } from '@opentelemetry/sdk-trace-base';
import * as fc from 'fast-check';
import { ExportPipeline, type ExportPipelineOptions } from '../../src/export/ExportPipeline';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { FAILED, ScriptedExporter, settle } from '../support/scriptedExporter';

/** A pipeline fed by a real SDK provider, as `createTracerProvider` builds it. */
function pipelineOf(
  exporter: ScriptedExporter,
  options: ExportPipelineOptions = {},
  sampler?: Sampler,
): { pipeline: ExportPipeline; tracer: Tracer; end(count: number, prefix?: string): void } {
  // `env: {}`: the machine's OTEL_BSP_* variables must not change what a test sees.
  const pipeline = new ExportPipeline(exporter, { scheduledDelayMillis: 60_000, env: {}, ...options });
  const provider = new BasicTracerProvider({ spanProcessors: [pipeline], sampler });
  const tracer = provider.getTracer('pipeline-test');
  let made = 0;
  return {
    pipeline,
    tracer,
    end(count, prefix = 's') {
      for (let i = 0; i < count; i++) tracer.startSpan(`${prefix}${made++}`).end();
    },
  };
}

let diagCapture: DiagCapture;
beforeEach(() => (diagCapture = captureDiag(DiagLogLevel.INFO)));
afterEach(() => diagCapture.restore());
// As TracerService registers it: without a context manager, no context (suppression included) reaches a callee.
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
afterAll(() => {
  context.disable();
  contextManager.disable();
});

describe(ExportPipeline, () => {
  describe('when the exporter keeps up, whatever the burst shape and flush timing', () => {
    it('delivers every ended span exactly once (property, 150 shapes)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ end: fc.integer({ min: 1, max: 700 }) }),
              fc.constant({ flush: true as const }),
              fc.constant({ tick: true as const }),
              fc.record({ answer: fc.integer({ min: 0, max: 5 }) }),
            ),
            { maxLength: 25 },
          ),
          fc.integer({ min: 1, max: 8 }),
          async (steps, maxConcurrentExports) => {
            const exporter = new ScriptedExporter();
            const { pipeline, end } = pipelineOf(exporter, {
              maxQueueSize: 20_000,
              maxExportBatchSize: 512,
              scheduledDelayMillis: 1,
              maxConcurrentExports,
            });
            let ended = 0;
            const flushes: Promise<unknown>[] = [];
            for (const step of steps) {
              if ('end' in step) {
                end(step.end);
                ended += step.end;
              } else if ('flush' in step) flushes.push(pipeline.flush());
              else if ('answer' in step) exporter.pending.slice(0, step.answer).forEach((p) => p.answer());
              else await settle();
              expect(exporter.pending.length).toBeLessThanOrEqual(maxConcurrentExports);
            }
            // The collector keeps answering: everything must arrive, once.
            const answering = setInterval(() => exporter.answerAll(), 1);
            try {
              const result = await pipeline.flush();
              await Promise.all(flushes);
              expect(result.complete).toBe(true);
            } finally {
              clearInterval(answering);
            }
            expect(exporter.received).toHaveLength(ended);
            expect(new Set(exporter.received).size).toBe(ended);
            expect(pipeline.stats).toMatchObject({
              delivered: ended,
              queued: 0,
              inFlight: 0,
              dropped: { queueFull: 0, exportFailed: 0, exporter: 0, afterShutdown: 0 },
            });
          },
        ),
        { numRuns: 150 },
      );
    });

    it('keeps a batch waiting for a free slot instead of dropping it (512, then 2048 more, then a flush)', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, { maxConcurrentExports: 1 });
      end(512); // a full batch leaves at once and stays in flight
      expect(exporter.pending).toHaveLength(1);
      end(2048); // the queue holds them while the only slot is taken
      const flushed = pipeline.flush();
      expect(exporter.pending).toHaveLength(1);
      for (let i = 0; i < 10 && exporter.pending.length > 0; i++) {
        exporter.answerAll();
        await settle();
      }
      expect(await flushed).toEqual({ complete: true, delivered: 2560, dropped: 0 });
      expect(exporter.received).toHaveLength(2560);
      expect(exporter.exports).toBe(5);
    });
  });

  describe('when the exporter answers at once, inside export()', () => {
    it('runs batch after batch in one loop: 5000 queued batches of one span do not grow the stack', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, {
        maxQueueSize: 5000,
        maxExportBatchSize: 1,
        maxConcurrentExports: 1,
      });
      end(5001); // the first export is held: the other 5000 wait for its slot
      exporter.rule = () => ({ code: 0 }); // from now on it answers inside export()
      const flushed = pipeline.flush();
      exporter.answerAll();
      expect(await flushed).toEqual({ complete: true, delivered: 5001, dropped: 0 });
      expect(exporter.exports).toBe(5001);
    });
  });

  describe('when a flush is asked for while exports are in flight', () => {
    it('sends the queued spans at once and waits for both (joins, does not wait after)', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, { maxExportBatchSize: 10 });
      end(10); // in flight
      end(3); // queued
      const flushed = pipeline.flush();
      expect(exporter.pending.map((p) => p.spans.length)).toEqual([10, 3]);
      let done = false;
      void flushed.then(() => (done = true));
      exporter.pending[1].answer();
      await settle();
      expect(done).toBe(false); // the earlier export still carries spans ended before the flush
      exporter.pending[0].answer();
      expect(await flushed).toEqual({ complete: true, delivered: 13, dropped: 0 });
    });

    it('shares exports between concurrent flushes: one request for the spans of both', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter);
      end(5);
      const first = pipeline.flush();
      const second = pipeline.flush();
      expect(exporter.exports).toBe(1);
      exporter.answerAll();
      expect(await first).toMatchObject({ complete: true, delivered: 5 });
      expect(await second).toMatchObject({ complete: true, delivered: 5 });
    });

    it('resolves a flush with nothing to wait for at once', async () => {
      const { pipeline } = pipelineOf(new ScriptedExporter());
      expect(await pipeline.flush()).toEqual({ complete: true, delivered: 0, dropped: 0 });
    });

    it('stops waiting at its timeout, says so, and the export goes on', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter);
      end(2);
      expect(await pipeline.flush(20)).toEqual({ complete: false, delivered: 0, dropped: 0 });
      exporter.answerAll();
      await settle();
      expect(pipeline.stats.delivered).toBe(2);
    });
  });

  describe('when exports fail', () => {
    it('probes with one export at a time until one succeeds, then sends in parallel again', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, { maxExportBatchSize: 10, maxConcurrentExports: 4 });
      end(10);
      exporter.pending[0].answer(FAILED());
      end(40);
      await settle();
      expect(exporter.pending).toHaveLength(1);
      exporter.pending[0].answer(); // recovered
      await settle();
      expect(exporter.pending).toHaveLength(3);
      exporter.answerAll();
      expect(pipeline.stats).toMatchObject({ delivered: 40, dropped: { exportFailed: 10 } });
    });

    it('reports the outage once with its reason, and the recovery once with the spans dropped meanwhile', async () => {
      const exporter = new ScriptedExporter('jaeger http to http://collector/api/traces');
      exporter.rule = () => FAILED('cannot connect (ECONNREFUSED)');
      const { pipeline, end } = pipelineOf(exporter, { maxExportBatchSize: 5 });
      for (let i = 0; i < 30; i++) {
        end(5);
        await pipeline.flush();
      }
      exporter.rule = () => ({ code: 0 });
      end(5);
      await pipeline.flush();
      const ours = diagCapture.messages.filter((m) => m.text.startsWith('@tracery:'));
      expect(ours.map((m) => m.level)).toEqual(['warn', 'info']);
      expect(ours[0].text).toContain('jaeger http to http://collector/api/traces: export failed');
      expect(ours[0].text).toContain('ECONNREFUSED');
      expect(ours[1].text).toContain('exports succeed again after 30 failed export(s); 150 spans dropped');
      expect(pipeline.stats.dropped.exportFailed).toBe(150);
    });

    it('counts an exporter that throws from export() as a failed export, and throws nothing', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => {
        throw new Error('exporter bug');
      };
      const { pipeline, end } = pipelineOf(exporter);
      end(3);
      expect(await pipeline.flush()).toEqual({ complete: true, delivered: 0, dropped: 3 });
      expect(diagCapture.including('exporter bug')).toHaveLength(1);
    });

    it('takes only the first answer of an exporter that answers twice', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => 'hold';
      const { pipeline, end } = pipelineOf(exporter);
      end(3);
      const flushed = pipeline.flush();
      const [held] = exporter.pending;
      held.answer();
      held.answer(FAILED());
      expect(await flushed).toEqual({ complete: true, delivered: 3, dropped: 0 });
      expect(pipeline.stats.dropped.exportFailed).toBe(0);
    });

    it('counts the spans an exporter left out of a successful export, and says why once', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => ({
        code: 0,
        droppedSpans: 1,
        droppedReason: 'larger than maxPayloadBytes (1024)',
      });
      const { pipeline, end } = pipelineOf(exporter);
      for (let i = 0; i < 3; i++) {
        end(4);
        await pipeline.flush();
      }
      expect(pipeline.stats).toMatchObject({ delivered: 9, dropped: { exporter: 3 } });
      expect(diagCapture.including('maxPayloadBytes (1024)')).toHaveLength(1);
    });
  });

  describe('when the exporter never answers', () => {
    it('counts the export failed after exportTimeoutMillis and hands later batches to it still', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, { exportTimeoutMillis: 30 });
      end(2);
      expect(await pipeline.flush(1000)).toEqual({ complete: true, delivered: 0, dropped: 2 });
      end(2);
      await pipeline.flush(1000);
      expect(exporter.exports).toBe(2);
      expect(diagCapture.including('did not answer within 30 ms')).toHaveLength(1);
    });

    it('stops handing it batches once maxConcurrentExports of its exports are abandoned', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, { exportTimeoutMillis: 5, maxConcurrentExports: 2 });
      for (let i = 0; i < 5; i++) {
        end(1);
        await pipeline.flush(50);
      }
      expect(exporter.exports).toBe(2);
      expect(pipeline.stats.queued).toBe(3);
      exporter.answerAll(); // late answers free the exporter again
      expect((await pipeline.flush(1000)).complete).toBe(true);
      expect(exporter.exports).toBe(3);
      exporter.answerAll();
    });

    it('arms no timer for an exporter that promises to answer within the export timeout', async () => {
      const exporter = new ScriptedExporter();
      exporter.answersWithinMs = 10;
      const { pipeline, end } = pipelineOf(exporter, { exportTimeoutMillis: 20 });
      end(1);
      void pipeline.flush(1); // starts the export
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(pipeline.stats.dropped.exportFailed).toBe(0); // trusted: still waiting for its answer
      exporter.answerAll();
      expect(await pipeline.flush()).toMatchObject({ complete: true });
      expect(pipeline.stats.delivered).toBe(1);
    });
  });

  describe('when spans end faster than the exporter answers', () => {
    it('drops and counts spans beyond maxQueueSize, holds no more, and reports the episode once each way', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, {
        maxQueueSize: 100,
        maxExportBatchSize: 50,
        maxConcurrentExports: 1,
      });
      end(1000);
      expect(pipeline.stats).toMatchObject({ queued: 100, inFlight: 50, dropped: { queueFull: 850 } });
      for (let i = 0; i < 10 && exporter.pending.length > 0; i++) {
        exporter.answerAll();
        await settle();
      }
      const ours = diagCapture.messages.filter((m) => m.text.startsWith('@tracery:'));
      expect(ours.map((m) => m.level)).toEqual(['warn', 'info']);
      expect(ours[0].text).toContain('the export queue is full (100 spans waiting)');
      expect(ours[1].text).toContain('850 spans dropped while it was full');
      expect(pipeline.stats.delivered).toBe(150);
    });
  });

  describe('when shut down', () => {
    it('flushes first, then shuts the exporter down, and counts spans ending later', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => ({ code: 0 });
      const { pipeline, end } = pipelineOf(exporter);
      end(3);
      await pipeline.shutdown();
      end(2);
      expect(exporter.received).toHaveLength(3);
      expect(exporter.shutdowns).toBe(1);
      expect(pipeline.stats.dropped.afterShutdown).toBe(2);
      await pipeline.shutdown(); // idempotent
      expect(exporter.shutdowns).toBe(1);
    });

    it('never rejects, within its bound, when the exporter hangs or its shutdown rejects', async () => {
      const hanging = new ScriptedExporter();
      hanging.onShutdown = () => new Promise<void>(() => undefined);
      const rejecting = new ScriptedExporter();
      rejecting.onShutdown = () => Promise.reject(new Error('shutdown exploded'));
      const a = pipelineOf(hanging, { exportTimeoutMillis: 30 });
      const b = pipelineOf(rejecting, { exportTimeoutMillis: 30 });
      a.end(1);
      b.end(1);
      await expect(Promise.all([a.pipeline.shutdown(), b.pipeline.shutdown()])).resolves.toEqual([
        undefined,
        undefined,
      ]);
      expect(diagCapture.including('did not shut down within 30 ms')).toHaveLength(1);
      expect(diagCapture.including('failed to shut down: Error: shutdown exploded')).toHaveLength(1);
    });
  });

  describe('when exporting', () => {
    it('runs the exporter with tracing suppressed, so instrumented transports make no spans of it', async () => {
      const exporter = new ScriptedExporter();
      const seen: boolean[] = [];
      exporter.rule = () => {
        seen.push(isTracingSuppressed(context.active()));
        return { code: 0 };
      };
      const { pipeline, end } = pipelineOf(exporter);
      end(1);
      await pipeline.flush();
      expect(seen).toEqual([true]);
    });

    it('exports only sampled spans', async () => {
      const exporter = new ScriptedExporter();
      const { pipeline, end } = pipelineOf(exporter, {}, new AlwaysOffSampler());
      end(5);
      expect(await pipeline.flush()).toEqual({ complete: true, delivered: 0, dropped: 0 });
      expect(exporter.exports).toBe(0);
    });

    it('exports a partial batch after scheduledDelayMillis without a flush', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => ({ code: 0 });
      const { pipeline, end } = pipelineOf(exporter, { scheduledDelayMillis: 5 });
      end(3);
      expect(exporter.exports).toBe(0);
      for (let i = 0; i < 100 && exporter.exports === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(exporter.received).toHaveLength(3);
      expect(pipeline.stats.delivered).toBe(3);
    });

    it('exports a later partial batch after scheduledDelayMillis too, once earlier ones were flushed before theirs', async () => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => ({ code: 0 });
      const { pipeline, end } = pipelineOf(exporter, { scheduledDelayMillis: 5 });
      for (let round = 0; round < 3; round++) {
        end(2);
        await pipeline.flush(1000);
      }
      expect(exporter.exports).toBe(3);
      end(1);
      for (let i = 0; i < 100 && exporter.exports === 3; i++) await new Promise((r) => setTimeout(r, 5));
      expect(exporter.exports).toBe(4);
      expect(pipeline.stats.delivered).toBe(7);
      await pipeline.shutdown();
    });
  });

  describe('when its settings come from OTEL_BSP_* variables', () => {
    it('reads them', async () => {
      const exporter = new ScriptedExporter();
      const pipeline = new ExportPipeline(exporter, {
        env: { OTEL_BSP_MAX_QUEUE_SIZE: '7', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '3' },
      });
      const tracer = new BasicTracerProvider({ spanProcessors: [pipeline] }).getTracer('t');
      for (let i = 0; i < 20; i++) tracer.startSpan(`s${i}`).end();
      expect(exporter.pending.map((p) => p.spans.length)).toEqual([3, 3, 3, 3, 3, 3]);
      expect(pipeline.stats).toMatchObject({ queued: 2, dropped: { queueFull: 0 } });
      exporter.answerAll();
    });

    it.each([
      ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '0'],
      ['OTEL_BSP_MAX_QUEUE_SIZE', '-1'],
      ['OTEL_BSP_SCHEDULE_DELAY', 'soon'],
      ['OTEL_BSP_EXPORT_TIMEOUT', '1e12'],
    ])('falls back to the default for %s=%s, names it once, and still flushes', async (variable, value) => {
      const exporter = new ScriptedExporter();
      exporter.rule = () => ({ code: 0 });
      const make = () => new ExportPipeline(exporter, { env: { [variable]: value } });
      const pipelines = [make(), make()];
      const tracer = new BasicTracerProvider({ spanProcessors: pipelines }).getTracer('t');
      for (let i = 0; i < 600; i++) tracer.startSpan(`s${i}`).end();
      for (const pipeline of pipelines) expect(await pipeline.flush()).toMatchObject({ complete: true });
      // The default batch size (512): a batch size of 0 would export nothing, or loop forever.
      expect(exporter.exports).toBe(4);
      const lines = diagCapture.including(variable);
      expect(lines).toHaveLength(1);
      expect(lines[0].text).toContain(`got '${value}'; using the default`);
    });

    it('cuts a batch size larger than the queue to the queue size', async () => {
      const exporter = new ScriptedExporter();
      const { end } = pipelineOf(exporter, { maxQueueSize: 4, maxExportBatchSize: 100 });
      end(4);
      expect(exporter.pending.map((p) => p.spans.length)).toEqual([4]);
      exporter.answerAll();
    });
  });
});
