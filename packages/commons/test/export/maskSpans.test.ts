import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { maskSpans } from '../../src/export/maskSpans';
import { SecretMask } from '../../src/redaction/SecretMask';

const SECRET = 'AccessKeySecret-9f8e7d';

function spans() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    't',
  );
  const leaky = tracer.startSpan(`sign ${SECRET}`, {
    attributes: { 'http.url': `https://h/?k=${encodeURIComponent(SECRET)}`, list: ['a', SECRET], n: 1 },
    links: [
      {
        context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
        attributes: { why: SECRET },
      },
    ],
  });
  const error = new Error(`denied: ${SECRET}`);
  error.name = `SignatureError(${SECRET})`;
  leaky.recordException(error);
  leaky.setStatus({ code: SpanStatusCode.ERROR, message: `denied: ${SECRET}` });
  leaky.end();
  tracer.startSpan('clean', { attributes: { ok: true } }).end();
  return exporter.getFinishedSpans();
}

describe(maskSpans, () => {
  describe('when spans hold a known secret', () => {
    it('exports copies with it masked in the name, attributes, events (exception.type too), status and links', () => {
      const original = spans();
      const [leaky, clean] = maskSpans(original, new SecretMask([SECRET]));
      const exported = JSON.stringify({
        name: leaky.name,
        attributes: leaky.attributes,
        events: leaky.events,
        status: leaky.status,
        links: leaky.links,
      });
      expect(exported).not.toContain(SECRET);
      expect(exported).not.toContain(encodeURIComponent(SECRET));
      expect(leaky.name).toBe('sign ***');
      expect(leaky.events[0].attributes?.['exception.type']).toBe('SignatureError(***)');
      expect(leaky.status).toEqual({ code: SpanStatusCode.ERROR, message: 'denied: ***' });
      expect(leaky.attributes.n).toBe(1);
      // Everything else is read from the span: ids, times, resource, scope.
      expect(leaky.spanContext()).toEqual(original[0].spanContext());
      expect(leaky.duration).toEqual(original[0].duration);
      expect(leaky.resource).toBe(original[0].resource);
      // The span itself (possibly shared with other processors) is not changed; a clean one is not copied.
      expect(original[0].name).toBe(`sign ${SECRET}`);
      expect(clean).toBe(original[1]);
    });
  });

  describe('when no span holds one', () => {
    it('returns the same array', () => {
      const original = spans().slice(1);
      expect(maskSpans(original, new SecretMask([SECRET]))).toBe(original);
    });
  });
});
