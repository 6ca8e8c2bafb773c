import 'reflect-metadata';
import { context } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { createExporter, type JaegerExporterConfig } from '@tracery/exporters';
import { Kitchen } from '../support/kitchen';
import { startHttpCapture, startUdpCapture, type HttpCapture, type UdpCapture } from '../support/wireCapture';
import { readIdlAgentMessage, readIdlBatch, thriftrwReadBatch, type IdlValue } from './thriftIdl';

type Struct = { [field: string]: IdlValue };

/** Two kitchen traces (the second under a remote parent with a 64-bit trace id and top-bit ids), exported. */
async function exportKitchenTraces(exporter: JaegerExporterConfig): Promise<void> {
  const tracing = new TracerService({
    serviceName: 'kitchen',
    resource: { 'service.version': '1.4.0', 'host.cores': 2 },
    exporter: createExporter(exporter),
  });
  const kitchen = new Kitchen(tracing);
  await kitchen.cook({ id: 'o-17', dishes: ['soup', 'bread'] });
  const remote = tracing.extract({ 'uber-trace-id': 'f00000000000000a:fedcba9876543210:0:1' }, 'jaeger');
  await context.with(remote, () => kitchen.cook({ id: 'o-18', dishes: [] }));
  await tracing.shutdown();
}

/** Many small spans, to make the exporter split one export over several requests or datagrams. */
async function exportManySpans(exporter: JaegerExporterConfig, count: number): Promise<void> {
  const tracing = new TracerService({ serviceName: 'bulk', exporter: createExporter(exporter) });
  await tracing.withSpan('bulk.root', async () => {
    for (let i = 0; i < count - 1; i++) tracing.withSpan(`bulk.item`, () => tracing.setTag('item.index', i));
  });
  await tracing.shutdown();
}

/**
 * The agent messages received, once they carry `spanCount` spans: the datagrams of an export have all left
 * when the exporter's shutdown resolves, but may still be arriving. Waits at most 5 s.
 */
async function agentMessages(
  agent: UdpCapture,
  spanCount: number,
): Promise<ReturnType<typeof readIdlAgentMessage>[]> {
  const until = Date.now() + 5000;
  for (;;) {
    const messages = agent.datagrams.map((datagram) => readIdlAgentMessage(datagram));
    if (spansOf(messages.map((message) => message.args.batch as Struct)).length >= spanCount) return messages;
    if (Date.now() > until) return messages;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function spansOf(batches: Struct[]): Struct[] {
  return batches.flatMap((batch) => batch.spans as Struct[]);
}

function tagTypes(spans: Struct[]): Set<IdlValue> {
  return new Set(spans.flatMap((span) => ((span.tags ?? []) as Struct[]).map((tag) => tag.vType)));
}

describe('Jaeger Thrift against the Jaeger IDL', () => {
  describe('when the HTTP exporter posts a Batch', () => {
    let collector: HttpCapture;
    let batches: Struct[];

    beforeAll(async () => {
      collector = await startHttpCapture();
      await exportKitchenTraces({ kind: 'jaeger', endpoint: `${collector.baseUrl}/api/traces` });
      batches = collector.requests.map((request) => readIdlBatch(request.body));
    });

    afterAll(() => collector.close());

    it('posts each as application/x-thrift to /api/traces', () => {
      expect(collector.requests.length).toBeGreaterThan(0);
      for (const request of collector.requests) {
        expect(request).toMatchObject({ method: 'POST', path: '/api/traces' });
        expect(request.headers['content-type']).toBe('application/x-thrift');
      }
    });

    it('sends bodies that thriftrw decodes as a Batch of the IDL', () => {
      for (const request of collector.requests) expect(() => thriftrwReadBatch(request.body)).not.toThrow();
    });

    it('sends the process and every span, each field as declared', () => {
      expect(batches.map((batch) => (batch.process as Struct).serviceName)).toEqual(
        batches.map(() => 'kitchen'),
      );
      const spans = spansOf(batches);
      expect(spans).toHaveLength(10);
      expect(tagTypes(spans)).toEqual(new Set(['STRING', 'DOUBLE', 'BOOL', 'LONG']));
      expect(spans.some((span) => ((span.logs ?? []) as Struct[]).length > 0)).toBe(true);
      expect(
        spans.flatMap((span) => ((span.references ?? []) as Struct[]).map((ref) => ref.refType)),
      ).toEqual(['FOLLOWS_FROM', 'FOLLOWS_FROM']);
    });

    it('writes ids with the top bit set as negative i64 values, as the IDL types them', () => {
      const underRemote = spansOf(batches).filter((span) => span.traceIdLow === -0x0ffffffffffffff6n);
      expect(underRemote).toHaveLength(5);
      expect(underRemote.map((span) => span.traceIdHigh)).toEqual(underRemote.map(() => 0n));
      expect(underRemote.filter((span) => span.parentSpanId === -0x0123456789abcdf0n)).toHaveLength(1);
    });

    it('splits a large export into several bodies, each a valid Batch', async () => {
      const split = await startHttpCapture();
      try {
        await exportManySpans(
          { kind: 'jaeger', endpoint: `${split.baseUrl}/api/traces`, maxPayloadBytes: 4096 },
          200,
        );
        expect(split.requests.length).toBeGreaterThan(1);
        expect(spansOf(split.requests.map((request) => readIdlBatch(request.body)))).toHaveLength(200);
      } finally {
        await split.close();
      }
    });
  });

  describe('when a trace is debug (forced sampled)', () => {
    let collector: HttpCapture;
    let spans: Struct[];

    beforeAll(async () => {
      collector = await startHttpCapture();
      const tracing = new TracerService({
        serviceName: 'kitchen',
        sampler: { type: 'const', param: 0 },
        exporter: createExporter({ kind: 'jaeger', endpoint: `${collector.baseUrl}/api/traces` }),
      });
      const kitchen = new Kitchen(tracing);
      // a caller's debug flag (uber-trace-id flags 3), and a trace started with debug: true
      const remote = tracing.extract({ 'uber-trace-id': 'f00000000000000a:fedcba9876543210:0:3' }, 'jaeger');
      await context.with(remote, () => kitchen.cook({ id: 'o-19', dishes: [] }));
      await tracing.withSpan('inspection', () => kitchen.cook({ id: 'o-20', dishes: [] }), { debug: true });
      await kitchen.cook({ id: 'o-21', dishes: [] }); // not sampled: const 0
      await tracing.shutdown();
      spans = spansOf(collector.requests.map((request) => readIdlBatch(request.body)));
    });

    afterAll(() => collector.close());

    it('sends every span of both debug traces, with flags 3 (sampled and debug), and nothing else', () => {
      expect(spans).toHaveLength(11);
      expect(spans.map((span) => span.flags)).toEqual(spans.map(() => 3));
    });
  });

  describe('when the agent exporter sends a datagram', () => {
    let agent: UdpCapture;
    let messages: ReturnType<typeof readIdlAgentMessage>[];

    beforeAll(async () => {
      agent = await startUdpCapture();
      await exportKitchenTraces({ kind: 'jaeger', agent: { host: '127.0.0.1', port: agent.port } });
      messages = await agentMessages(agent, 10);
    });

    afterAll(() => agent.close());

    it('sends each as a oneway call of Agent.emitBatch', () => {
      expect(messages.map((message) => message.name)).toEqual(messages.map(() => 'emitBatch'));
    });

    it('carries the process and every span, each field as declared', () => {
      const batches = messages.map((message) => message.args.batch as Struct);
      const spans = spansOf(batches);
      expect(spans).toHaveLength(10);
      expect(tagTypes(spans)).toEqual(new Set(['STRING', 'DOUBLE', 'BOOL', 'LONG']));
      expect(spans.filter((span) => span.traceIdLow === -0x0ffffffffffffff6n)).toHaveLength(5);
    });

    it('splits a large export into several datagrams, each a valid emitBatch', async () => {
      const split = await startUdpCapture();
      try {
        await exportManySpans(
          { kind: 'jaeger', agent: { host: '127.0.0.1', port: split.port, maxPacketSize: 4096 } },
          200,
        );
        const messages = await agentMessages(split, 200);
        expect(messages.length).toBeGreaterThan(1);
        expect(spansOf(messages.map((message) => message.args.batch as Struct))).toHaveLength(200);
      } finally {
        await split.close();
      }
    });
  });

  describe('the check itself', () => {
    // Hand-written binary Batches, to show that the check refuses what the IDL does not allow.
    const process = Buffer.from('0c0001' + '0b0001' + '00000001' + '73' + '00', 'hex'); // Process{serviceName:"s"}
    const noSpans = Buffer.from('0f0002' + '0c' + '00000000', 'hex'); // spans: empty list<Span>
    const stop = Buffer.from('00', 'hex');

    it('accepts a minimal Batch', () => {
      expect(readIdlBatch(Buffer.concat([process, noSpans, stop]))).toEqual({
        process: { serviceName: 's' },
        spans: [],
      });
    });

    it.each([
      ['a Batch without its required spans', Buffer.concat([process, stop]), /required field 2 \(spans\)/],
      [
        'a field the IDL does not declare',
        Buffer.concat([process, noSpans, Buffer.from('080009' + '00000001', 'hex'), stop]),
        /field id 9/,
      ],
      [
        'a field of another type than declared',
        Buffer.concat([Buffer.from('0f0001' + '0c00000000', 'hex'), noSpans, stop]),
        /sent as LIST, declared STRUCT/,
      ],
      [
        'a tag type the enum does not define',
        Buffer.concat([
          Buffer.from('0c0001' + '0b000100000001' + '73', 'hex'),
          Buffer.from(
            '0f0002' + '0c' + '00000001' + '0b000100000001' + '6b' + '080002' + '00000009' + '00',
            'hex',
          ),
          stop,
          noSpans,
          stop,
        ]),
        /9 is not a value of the enum TagType/,
      ],
    ])('refuses %s', (_label, body, message) => {
      expect(() => readIdlBatch(body)).toThrow(message);
    });
  });
});
