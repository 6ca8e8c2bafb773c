import { context, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { createExporter } from '@tracery/exporters';
import { ConsoleWaterfallExporter } from '../../src/console/ConsoleWaterfallExporter';
import { captureDiag } from '../../../../test/support/captureDiag';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

/** Records `count` traces of a root with one child each, and returns [children, roots]. */
function recordTraces(count: number, remoteParent = false): [ReadableSpan[], ReadableSpan[]] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < count; i++) {
    const parentContext = remoteParent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: (i + 1).toString(16).padStart(32, '0'),
          spanId: 'b'.repeat(16),
          traceFlags: 1,
          isRemote: true,
        })
      : context.active();
    const root = tracer.startSpan(`root-${i}`, {}, parentContext);
    tracer.startSpan(`child-${i}`, {}, trace.setSpan(parentContext, root)).end();
    root.end();
  }
  const spans = memory.getFinishedSpans();
  return [spans.filter((s) => s.name.startsWith('child')), spans.filter((s) => s.name.startsWith('root'))];
}

describe(ConsoleWaterfallExporter, () => {
  let output: string[];
  beforeEach(() => {
    output = [];
  });

  describe('when a trace arrives child first, root later', () => {
    it('writes nothing until the root span arrives, then the whole trace as one waterfall', async () => {
      const exporter = createExporter({ kind: 'console', write: (text) => output.push(text) });
      const [httpRequest, charge, checkout] = recordSampleTrace();

      expect((await exportOnce(exporter, [httpRequest, charge])).code).toBe(ExportResultCode.SUCCESS);
      expect(output).toEqual([]);
      await exportOnce(exporter, [checkout]);

      expect(output).toHaveLength(1);
      expect(output[0]).toMatch(/^trace [0-9a-f]{32} · 3 spans/);
      expect(output[0]).toContain('└─ charge ✗');
      expect(output[0]).toContain('   └─ http.request');
    });
  });

  describe('when the local root has a remote parent', () => {
    it('treats that span as the end of the trace', async () => {
      const exporter = createExporter({ kind: 'console', write: (text) => output.push(text) });
      const [children, roots] = recordTraces(1, true);
      await exportOnce(exporter, [...children, ...roots]);

      expect(output).toHaveLength(1);
      expect(output[0]).toContain('root-0');
      expect(output[0]).toContain('└─ child-0');
    });
  });

  describe('when flushed with traces whose root has not ended', () => {
    it('writes them, marked as not ended', async () => {
      const exporter = createExporter({ kind: 'console', write: (text) => output.push(text) });
      const [children] = recordTraces(2);
      await exportOnce(exporter, children);
      expect(output).toEqual([]);

      await exporter.forceFlush!();
      expect(output).toHaveLength(2);
      expect(output.every((text) => text.includes('root span not ended yet'))).toBe(true);

      await exporter.shutdown();
      expect(output).toHaveLength(2);
    });
  });

  describe('when more traces wait than maxTraces', () => {
    it('writes the oldest early, so it never holds more than maxTraces', async () => {
      const exporter = createExporter({ kind: 'console', write: (text) => output.push(text), maxTraces: 2 });
      const [children] = recordTraces(5);
      await exportOnce(exporter, children);

      expect(output.map((text) => text.match(/child-\d/)?.[0])).toEqual(['child-0', 'child-1', 'child-2']);
      await exporter.forceFlush!();
      expect(output).toHaveLength(5);
    });
  });

  describe('when a trace has more spans than maxSpansPerTrace', () => {
    it('keeps the first ones and says how many were not shown', async () => {
      const exporter = createExporter({
        kind: 'console',
        write: (text) => output.push(text),
        maxSpansPerTrace: 2,
      });
      await exportOnce(exporter, recordSampleTrace());

      expect(output).toHaveLength(1);
      expect(output[0]).toContain('1 spans not shown (over 2)');
      expect(output[0]).toMatch(/· 2 spans ·/);
    });
  });

  describe('when attributes are asked for', () => {
    it('prints them under each span', async () => {
      const exporter = createExporter({
        kind: 'console',
        write: (text) => output.push(text),
        attributes: true,
      });
      await exportOnce(exporter, recordSampleTrace());
      expect(output[0]).toContain('· http.method="POST"');
    });
  });

  describe('when the write function throws', () => {
    it('still reports SUCCESS and tells diag once', async () => {
      const diagCapture = captureDiag();
      try {
        const exporter = createExporter({
          kind: 'console',
          write: () => {
            throw new Error('stdout closed');
          },
        });
        expect((await exportOnce(exporter, recordSampleTrace())).code).toBe(ExportResultCode.SUCCESS);
        expect((await exportOnce(exporter, recordSampleTrace())).code).toBe(ExportResultCode.SUCCESS);
        const reports = diagCapture.messages.filter((m) =>
          m.text.includes('console exporter could not write'),
        );
        expect(reports).toHaveLength(1);
      } finally {
        diagCapture.restore();
      }
    });
  });

  describe('when no write function is given', () => {
    it('writes to process.stdout', async () => {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await exportOnce(createExporter({ kind: 'console' }), recordSampleTrace());
        expect(write).toHaveBeenCalledWith(expect.stringContaining('checkout'));
      } finally {
        write.mockRestore();
      }
    });
  });
});
