import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { GuardedSpanExporter } from '../../src/export/GuardedSpanExporter';
import { captureDiag } from '../../../../test/support/captureDiag';
import { exportOnce } from '../support/exportOnce';

const SECRET = 'guardSECRET-value';

/** An inner exporter whose every method does what the test scripts. */
function scripted(overrides: Partial<SpanExporter>): SpanExporter {
  return {
    export: (_spans: ReadableSpan[], done: (r: ExportResult) => void) =>
      done({ code: ExportResultCode.SUCCESS }),
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
    ...overrides,
  };
}

const guard = (inner: SpanExporter, timeoutMs = 200): GuardedSpanExporter =>
  new GuardedSpanExporter(inner, { description: 'test to http://h/adapt_***', timeoutMs, secrets: [SECRET] });

describe(GuardedSpanExporter, () => {
  describe('when the inner exporter throws from export', () => {
    it('answers FAILED instead of throwing', async () => {
      const exporter = guard(
        scripted({
          export: () => {
            throw new Error('boom');
          },
        }),
      );
      const result = await exportOnce(exporter, []);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(result.error?.message).toBe('test to http://h/adapt_***: boom');
    });
  });

  describe('when the inner exporter answers twice', () => {
    it('passes on only the first answer', () => {
      const exporter = guard(
        scripted({
          export: (_s, done) => {
            done({ code: ExportResultCode.SUCCESS });
            done({ code: ExportResultCode.FAILED, error: new Error('late') });
          },
        }),
      );
      const answers: number[] = [];
      exporter.export([], (r) => answers.push(r.code));
      expect(answers).toEqual([ExportResultCode.SUCCESS]);
    });
  });

  describe('when the inner error message carries a secret', () => {
    it('cuts the secret, tokens in URLs and passwords out of the error and the diag report', async () => {
      const diagCapture = captureDiag();
      try {
        const exporter = guard(
          scripted({
            export: (_s, done) =>
              done({
                code: ExportResultCode.FAILED,
                error: new Error(`401 for http://u:pw123456@h/adapt_tok/x with ${SECRET}`),
              }),
          }),
        );
        const result = await exportOnce(exporter, []);
        const everything = `${result.error?.message}\n${diagCapture.text()}`;
        expect(everything).not.toContain(SECRET);
        expect(everything).not.toContain('pw123456');
        expect(everything).not.toContain('adapt_tok');
        expect(result.error?.message).toContain('401 for http://u:***@h/adapt_***/x with ***');
      } finally {
        diagCapture.restore();
      }
    });
  });

  describe('when the inner forceFlush or shutdown never settles', () => {
    it('resolves after the timeout', async () => {
      const never = (): Promise<void> => new Promise<void>(() => undefined);
      const exporter = guard(scripted({ forceFlush: never, shutdown: never }), 50);
      await expect(exporter.forceFlush()).resolves.toBeUndefined();
      await expect(exporter.shutdown()).resolves.toBeUndefined();
    });
  });

  describe('when the inner shutdown rejects', () => {
    it('rejects with a redacted message', async () => {
      const exporter = guard(scripted({ shutdown: () => Promise.reject(new Error(`closing ${SECRET}`)) }));
      await expect(exporter.shutdown()).rejects.toThrow('test to http://h/adapt_***: closing ***');
    });
  });
});
