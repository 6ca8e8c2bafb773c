import { ExportResultCode } from '@opentelemetry/core';
import { createExporter } from '@tracery/exporters';
import { MemorySpanExporter } from '../../src/memory/MemorySpanExporter';
import { captureDiag } from '../../../../test/support/captureDiag';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

describe(MemorySpanExporter, () => {
  describe('when spans are exported', () => {
    it('keeps them in export order for the test to read', async () => {
      const memory = createExporter({ kind: 'memory' });
      const spans = recordSampleTrace();
      expect((await exportOnce(memory, spans)).code).toBe(ExportResultCode.SUCCESS);
      expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['http.request', 'charge', 'checkout']);
    });

    it('hands out a copy, not its own list', async () => {
      const memory = createExporter({ kind: 'memory' });
      await exportOnce(memory, recordSampleTrace());
      memory.getFinishedSpans().length = 0;
      expect(memory.getFinishedSpans()).toHaveLength(3);
    });
  });

  describe('when reset', () => {
    it('forgets the spans held', async () => {
      const memory = createExporter({ kind: 'memory' });
      await exportOnce(memory, recordSampleTrace());
      memory.reset();
      expect(memory.getFinishedSpans()).toEqual([]);
      await exportOnce(memory, recordSampleTrace());
      expect(memory.getFinishedSpans()).toHaveLength(3);
    });
  });

  describe('when more than maxSpans arrive', () => {
    it('keeps the first maxSpans, counts the rest and tells diag once', async () => {
      const diagCapture = captureDiag();
      try {
        const memory = createExporter({ kind: 'memory', maxSpans: 4 });
        await exportOnce(memory, recordSampleTrace());
        await exportOnce(memory, recordSampleTrace());
        await exportOnce(memory, recordSampleTrace());
        expect(memory.getFinishedSpans()).toHaveLength(4);
        expect(memory.droppedSpans).toBe(5);
        expect(diagCapture.messages.filter((m) => m.text.includes('memory exporter is full'))).toHaveLength(
          1,
        );
      } finally {
        diagCapture.restore();
      }
    });
  });

  describe('when shut down', () => {
    it('refuses new spans and keeps the old ones readable', async () => {
      const memory = createExporter({ kind: 'memory' });
      await exportOnce(memory, recordSampleTrace());
      await memory.shutdown();
      expect((await exportOnce(memory, recordSampleTrace())).code).toBe(ExportResultCode.FAILED);
      expect(memory.getFinishedSpans()).toHaveLength(3);
    });
  });
});
