import { ExportResultCode } from '@opentelemetry/core';
import { createExporter } from '@tracery/exporters';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

describe('createExporter({ kind: "none" })', () => {
  describe('when spans are exported', () => {
    it('accepts and drops them', async () => {
      const exporter = createExporter({ kind: 'none' });
      expect((await exportOnce(exporter, recordSampleTrace())).code).toBe(ExportResultCode.SUCCESS);
      await expect(exporter.forceFlush!()).resolves.toBeUndefined();
      await expect(exporter.shutdown()).resolves.toBeUndefined();
    });
  });
});
