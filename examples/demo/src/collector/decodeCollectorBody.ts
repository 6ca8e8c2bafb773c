import { decodeJaegerBatch, type JaegerTag, type WaterfallSpan } from '@tracery/exporters';

const NO_PARENT = '0000000000000000';
/** Tags the Jaeger mapping adds for status and scope: the waterfall shows them as the error marker instead. */
const HIDDEN_TAGS = new Set([
  'error',
  'otel.status_code',
  'otel.status_description',
  'otel.library.name',
  'otel.library.version',
  'otel.scope.name',
  'otel.scope.version',
]);

function tagValue(tag: JaegerTag): unknown {
  if (tag.value instanceof Uint8Array) return Buffer.from(tag.value).toString('hex');
  return tag.value;
}

function tagsToRecord(
  tags: readonly JaegerTag[],
  hide: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const tag of tags) if (!hide.has(tag.key)) record[tag.key] = tagValue(tag);
  return record;
}

/** One Jaeger Thrift batch (the body of `POST /api/traces`) as the spans the waterfall renderer draws. */
export function decodeCollectorBody(body: Buffer): WaterfallSpan[] {
  const batch = decodeJaegerBatch(body);
  return batch.spans.map((span) => {
    const tags = tagsToRecord(span.tags);
    const status = tags['otel.status_description'];
    return {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId === NO_PARENT ? undefined : span.parentSpanId,
      name: span.operationName,
      startTimeMs: span.startTime / 1000,
      durationMs: span.duration / 1000,
      error: tags.error === true,
      errorMessage: typeof status === 'string' ? status : undefined,
      serviceName: batch.process.serviceName,
      attributes: tagsToRecord(span.tags, HIDDEN_TAGS),
      events: span.logs.map((log) => {
        const fields = tagsToRecord(log.fields);
        // The stack trace is in the collector; the terminal view keeps to the message.
        const { event, 'exception.stacktrace': _stack, ...attributes } = fields;
        return { name: String(event ?? 'log'), timeMs: log.timestamp / 1000, attributes };
      }),
    };
  });
}
