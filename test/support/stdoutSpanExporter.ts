import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** One finished span as a child process reports it to the test, one JSON object per stdout line. */
export interface SpanRecord {
  name: string;
  /** OpenTelemetry SpanKind number: 0 INTERNAL, 1 SERVER, 2 CLIENT, 3 PRODUCER, 4 CONSUMER. */
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  /** Whether the parent came from another process. */
  parentIsRemote: boolean | undefined;
  service: string;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
}

const PREFIX = 'SPAN ';

/** Writes each exported span to stdout as `SPAN {json}`, for a parent process to read. */
export class StdoutSpanExporter implements SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) {
      const record: SpanRecord = {
        name: span.name,
        kind: span.kind,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        parentIsRemote: span.parentSpanContext?.isRemote,
        service: String(span.resource.attributes['service.name']),
        attributes: { ...span.attributes },
        status: { code: span.status.code, message: span.status.message },
      };
      process.stdout.write(PREFIX + JSON.stringify(record) + '\n');
    }
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The span records among a child's stdout lines. */
export function spanRecords(lines: readonly string[]): SpanRecord[] {
  return lines.filter((line) => line.startsWith(PREFIX)).map((line) => JSON.parse(line.slice(PREFIX.length)));
}
