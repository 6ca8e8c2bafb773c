import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PropagationFormat } from '@tracery/core';
import { bundleForNode } from '../support/bundleSource';
import { killChildren, listeningPort, startNode } from '../support/childProcess';
import { startJaeger, type RunningJaeger } from './jaeger/jaeger';
import { readSpans, spanNamed, treesOf, type ReadSpan } from './jaeger/jaegerApi';
import { int64, string } from './kitchenInJaeger';

const FORMATS: { format: PropagationFormat; carriesBaggage: boolean }[] = [
  { format: 'w3c', carriesBaggage: true },
  { format: 'jaeger', carriesBaggage: true },
  { format: 'b3', carriesBaggage: false },
  { format: 'b3single', carriesBaggage: false },
];

let jaeger: RunningJaeger;
let workDir: string;
let peer: string;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-e2e-'));
  [jaeger, peer] = await Promise.all([
    startJaeger(),
    bundleForNode(path.join(__dirname, 'fixtures', 'shopPeer.ts'), path.join(workDir, 'shopPeer.js')),
  ]);
});

afterAll(async () => {
  await killChildren();
  await jaeger?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/**
 * A storefront process calls an orders process over HTTP with the context in `format`. The storefront exports
 * Jaeger Thrift over HTTP, the orders service OTLP: both through `exporterFromEnv`, into the one Jaeger.
 */
async function crossProcessTrace(format: PropagationFormat): Promise<ReadSpan[]> {
  const env = { ...process.env, OTEL_PROPAGATORS: undefined, OTEL_SERVICE_NAME: undefined };
  const server = startNode([peer, 'server', format], {
    env: { ...env, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: jaeger.otlpHttpUrl },
  });
  const port = await listeningPort(server);
  const client = startNode([peer, 'client', format, `http://127.0.0.1:${port}/orders`], {
    env: { ...env, OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: jaeger.thriftHttpUrl },
  });
  const [clientExit, serverExit] = await Promise.all([client.exited, server.exited]);
  expect({
    client: clientExit.code,
    server: serverExit.code,
    stderr: client.stderr() + server.stderr(),
  }).toEqual({
    client: 0,
    server: 0,
    stderr: '',
  });
  const traceId = client.lines.find((line) => line.startsWith('TRACE '))!.split(' ')[1];
  return readSpans(await jaeger.waitForTrace(traceId, 4));
}

describe.each(FORMATS)(
  'a trace crossing two processes in $format, read back from Jaeger',
  ({ format, carriesBaggage }) => {
    let spans: ReadSpan[];

    beforeAll(async () => {
      spans = await crossProcessTrace(format);
    });

    it("stores one tree: the server's spans under the client's, each in its own service", () => {
      expect(spans).toHaveLength(4);
      expect(treesOf(spans)).toEqual([
        {
          name: 'Storefront.checkout',
          service: 'e2e-storefront',
          kind: 'internal',
          children: [
            {
              name: 'GET /orders',
              service: 'e2e-storefront',
              kind: 'client',
              children: [
                {
                  name: 'GET /orders',
                  service: 'e2e-orders',
                  kind: 'server',
                  children: [{ name: 'Orders.load', service: 'e2e-orders', kind: 'internal', children: [] }],
                },
              ],
            },
          ],
        },
      ]);
    });

    it('keeps the typed tags on both sides', () => {
      const [client, server] = ['e2e-storefront', 'e2e-orders'].map((service) =>
        spans.find((span) => span.name === 'GET /orders' && span.service === service)!,
      );
      expect(spanNamed(spans, 'Storefront.checkout').tags).toMatchObject({ 'cart.id': string('cart-7') });
      expect(client.tags).toMatchObject({ 'http.request.method': string('GET'), 'cart.size': int64(6) });
      expect(server.tags).toMatchObject({ 'http.response.status_code': int64(200) });
      expect(spanNamed(spans, 'Orders.load').tags).toMatchObject({
        'customer.id': string('c-42'),
        'order.count': int64(3),
      });
    });

    it('shows each process with its own SDK tags', () => {
      for (const span of spans)
        expect(span.processTags).toMatchObject({ 'telemetry.sdk.language': string('nodejs') });
      expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['e2e-storefront', 'e2e-orders']));
    });

    it('flags no span as an error and logs nothing', () => {
      expect(spans.filter((span) => span.error || span.logs.length > 0)).toEqual([]);
    });

    it(
      carriesBaggage
        ? 'carries the baggage to the server'
        : 'carries no baggage (the format has no header for it)',
      () => {
        const server = spans.find((span) => span.service === 'e2e-orders' && span.kind === 'server')!;
        expect(server.tags['tenant.id']).toEqual(carriesBaggage ? string('acme') : undefined);
      },
    );
  },
);
