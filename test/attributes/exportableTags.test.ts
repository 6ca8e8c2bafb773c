// Huge tag values against a real export: a traced call tagged with them reaches a Jaeger collector on
// 127.0.0.1 through @tracery/exporters' HTTP exporter (default maxPayloadBytes, 1 MiB), decoded there by the
// `thrift` package. Before tag values were bounded, such a span was larger than the payload limit and dropped.
import { SpanTag, Traced, TracerService } from '@tracery/core';
import { createExporter } from '@tracery/exporters';
import { startFakeJaegerCollector, type FakeJaegerCollector } from '../support/fakeJaegerCollector';

const MiB = 1024 * 1024;

describe('tag values on an exported span', () => {
  let collector: FakeJaegerCollector;
  let tracing: TracerService;
  beforeAll(async () => {
    collector = await startFakeJaegerCollector();
    tracing = new TracerService({
      serviceName: 'exportable-tags',
      exporter: createExporter({ kind: 'jaeger', endpoint: collector.url }),
    });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await collector.close();
  });

  describe('when every tag of a call is huge', () => {
    class Importer {
      @Traced({ tags: { 'import.rows': 1 }, recordResult: true })
      load(
        @SpanTag('import.file') _file: Buffer,
        _rows: string[],
        @SpanTag('import.samples') _samples: Float64Array,
        @SpanTag('import.meta') _meta: object,
      ) {
        return Array.from({ length: 1_000_000 }, (_, i) => i);
      }
    }

    it('exports the span, each tag within the default limit of 4096 characters', async () => {
      const rows = Array.from({ length: 200_000 }, (_, i) => `row ${i} `.padEnd(100, 'x'));
      const meta = { rows, nested: { deeper: { file: Buffer.alloc(MiB) } } };
      new Importer().load(Buffer.alloc(40 * MiB, 0x7f), rows, new Float64Array(5 * MiB), meta);
      await tracing.forceFlush();

      const [span] = collector.spans().filter((s) => s.operationName === 'Importer.load');
      expect(span).toBeDefined();
      expect(span.tags['import.file']).toMatch(/^<Buffer 41943040 bytes: (7f)+\.\.\.>$/);
      expect(span.tags['import.samples']).toMatch(/^<Float64Array 41943040 bytes: (00)+\.\.\.>$/);
      // Jaeger has no array tags: the exporter writes an array as JSON.
      const kept = JSON.parse(span.tags['import.rows'] as string) as string[];
      expect(kept.join('')).toBe(rows.join('').slice(0, 4096));
      expect((span.tags['import.meta'] as string).startsWith('{"rows":["row 0 x')).toBe(true);
      expect(JSON.parse(span.tags['tracery.result'] as string)).toEqual(
        Array.from({ length: 128 }, (_, i) => i),
      );
      for (const key of ['import.file', 'import.samples', 'import.meta'])
        expect((span.tags[key] as string).length).toBeLessThanOrEqual(4096);
    });
  });

  describe('when OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT is set higher than a span can carry', () => {
    it('cuts a 2 MB value at 65536 characters, and the span is exported', async () => {
      process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = String(10 * MiB);
      let Notes: new () => { save(text: string): void };
      try {
        class NotesClass {
          @Traced('Notes.save')
          save(@SpanTag('note.text') _text: string) {}
        }
        Notes = NotesClass;
      } finally {
        delete process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT;
      }
      new Notes().save('é'.repeat(MiB)); // 2 MiB of UTF-8
      await tracing.forceFlush();

      const [span] = collector.spans().filter((s) => s.operationName === 'Notes.save');
      expect(span).toBeDefined();
      expect(span.tags['note.text']).toBe('é'.repeat(65_536));
    });
  });
});
