import 'reflect-metadata';
import * as fs from 'node:fs';
import { context } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { createExporter } from '@tracery/exporters';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { Kitchen } from '../support/kitchen';
import { startHttpCapture, type HttpCapture } from '../support/wireCapture';
import { specFile } from './specs';

/** A validator of a request body against the Zipkin v2 API's `ListOfSpans` (an array of `Span`). */
function listOfSpansValidator(): ValidateFunction {
  const api = parse(fs.readFileSync(specFile('zipkin2-api.yaml'), 'utf8')) as { definitions: object };
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv, ['ipv4', 'ipv6']);
  // OpenAPI's integer format: on the wire a JSON number, which must be an integer that JSON carries exactly.
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  // An OpenAPI annotation, not a JSON Schema keyword.
  ajv.addKeyword({ keyword: 'example' });
  return ajv.compile({ definitions: api.definitions, $ref: '#/definitions/ListOfSpans' });
}

describe('the Zipkin exporter against the Zipkin v2 API span schema', () => {
  let validate: ValidateFunction;
  let collector: HttpCapture;
  let bodies: unknown[];

  beforeAll(async () => {
    validate = listOfSpansValidator();
    collector = await startHttpCapture();
    const tracing = new TracerService({
      serviceName: 'kitchen',
      resource: { 'service.version': '1.4.0' },
      exporter: createExporter({ kind: 'zipkin', url: `${collector.baseUrl}/api/v2/spans` }),
    });
    const kitchen = new Kitchen(tracing);
    await kitchen.cook({ id: 'o-17', dishes: ['soup', 'bread'] });
    // under a remote parent with a 64-bit trace id and ids whose top bit is set
    const remote = tracing.extract({ 'uber-trace-id': 'f00000000000000a:fedcba9876543210:0:1' }, 'jaeger');
    await context.with(remote, () => kitchen.cook({ id: 'o-18', dishes: [] }));
    await tracing.shutdown();
    bodies = collector.requests.map((request) => JSON.parse(request.body.toString('utf8')) as unknown);
  });

  afterAll(() => collector.close());

  it('posts JSON to the v2 spans path', () => {
    expect(collector.requests.length).toBeGreaterThan(0);
    for (const request of collector.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/api/v2/spans' });
      expect(request.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('sends bodies that are valid lists of spans', () => {
    for (const body of bodies) {
      const valid = validate(body);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('sends every span of both traces', () => {
    const spans = bodies.flat() as { traceId: string; parentId?: string; kind?: string }[];
    expect(spans).toHaveLength(10);
    expect(new Set(spans.map((span) => span.kind))).toEqual(
      new Set(['SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER', undefined]),
    );
    expect(spans.filter((span) => span.parentId === 'fedcba9876543210')).toHaveLength(1);
    expect(spans.filter((span) => span.traceId.endsWith('f00000000000000a'))).toHaveLength(5);
  });

  describe('when a trace comes in as B3 debug (X-B3-Flags: 1)', () => {
    let debugBodies: unknown[];

    beforeAll(async () => {
      const capture = await startHttpCapture();
      try {
        const tracing = new TracerService({
          serviceName: 'kitchen',
          sampler: { type: 'const', param: 0 },
          exporter: createExporter({ kind: 'zipkin', url: `${capture.baseUrl}/api/v2/spans` }),
        });
        const remote = tracing.extract(
          {
            'X-B3-TraceId': '80f198ee56343ba864fe8b2a57d3eff7',
            'X-B3-SpanId': 'e457b5a2e4d86bd1',
            'X-B3-Flags': '1',
          },
          'b3',
        );
        await context.with(remote, () => new Kitchen(tracing).cook({ id: 'o-19', dishes: [] }));
        await tracing.shutdown();
        debugBodies = capture.requests.map((request) => JSON.parse(request.body.toString('utf8')) as unknown);
      } finally {
        await capture.close();
      }
    });

    it('sends its spans, sampled out by the config, with debug: true, valid against the schema', () => {
      const spans = debugBodies.flat() as { debug?: boolean }[];
      expect(spans).toHaveLength(5);
      expect(spans.map((span) => span.debug)).toEqual(spans.map(() => true));
      for (const body of debugBodies) expect(validate(body)).toBe(true);
    });
  });

  describe('when a span has times given with sub-microsecond precision', () => {
    let preciseBodies: unknown[];

    beforeAll(async () => {
      const capture = await startHttpCapture();
      try {
        const tracing = new TracerService({
          serviceName: 'kitchen',
          exporter: createExporter({ kind: 'zipkin', url: `${capture.baseUrl}/api/v2/spans` }),
        });
        // start and end as high-resolution times (seconds, nanoseconds), as instrumentation may give them
        tracing
          .startSpan('oven.preheat', { startTime: [1764632000, 123456789] })
          .end([1764632000, 223456789]);
        const instant: [number, number] = [1764632001, 0];
        tracing.startSpan('oven.beep', { startTime: instant }).end(instant);
        await tracing.shutdown();
        preciseBodies = capture.requests.map(
          (request) => JSON.parse(request.body.toString('utf8')) as unknown,
        );
      } finally {
        await capture.close();
      }
    });

    function span(name: string): { timestamp: number; duration: number } {
      return (preciseBodies.flat() as { name: string; timestamp: number; duration: number }[]).find(
        (s) => s.name === name,
      )!;
    }

    // Once a bug (with @opentelemetry/exporter-zipkin 2.12): `timestamp` was the start time in microseconds NOT
    // rounded, so a start time with nanoseconds gave a fractional number (1764632000123456.789); the schema wants
    // an int64, and Jaeger's Zipkin receiver refused the whole request (test/e2e/exporters.e2e.test.ts).
    it('sends an integer timestamp', () => {
      expect(span('oven.preheat').timestamp).toBe(1764632000123457);
      expect(validate(preciseBodies[0])).toBe(true);
    });

    // Once a bug (same exporter): a span that ends when it starts was sent with duration 0; the schema's minimum
    // is 1 ("durations of less than one are rounded up").
    it('sends a zero-length span with duration 1', () => {
      expect(span('oven.beep').duration).toBe(1);
    });
  });

  describe('the schema as loaded', () => {
    // Shows the validator would catch a bad span, so that the passing checks above say something.
    const good = {
      traceId: '5af7183fb1d4cf5f',
      id: '352bff9a74ca9ad2',
      name: 'get',
      timestamp: 1,
      duration: 1,
    };

    it.each([
      ['a span without traceId', { ...good, traceId: undefined }],
      ['an id of 15 digits', { ...good, id: '352bff9a74ca9ad' }],
      ['a kind Zipkin does not know', { ...good, kind: 'INTERNAL' }],
      ['a tag that is not a string', { ...good, tags: { retries: 2 } }],
      ['a duration of 0', { ...good, duration: 0 }],
      ['a timestamp in fractional microseconds', { ...good, timestamp: 1.5 }],
      ['an annotation without value', { ...good, annotations: [{ timestamp: 1 }] }],
    ])('rejects %s', (_label, span) => {
      expect(validate([JSON.parse(JSON.stringify(span))])).toBe(false);
    });

    it('accepts the example span of the specification', () => {
      expect(validate([good])).toBe(true);
    });
  });
});
