// One trace crossing Python -> Tracery -> Python, read back from the real Jaeger (test/e2e's harness): Jaeger's
// Python client calls a Tracery service (reporting to Jaeger's UDP agent, 64-bit trace id, `uber-trace-id`),
// which calls an OpenTelemetry Python function reading `uber-trace-id` as FC's Python sample reads FC's span
// context (exporting Jaeger Thrift over HTTP, as FC's sample does); Tracery exports OTLP.
import { startJaeger, type RunningJaeger } from '../e2e/jaeger/jaeger';
import { readSpans, treesOf, type JaegerApiTrace, type ReadSpan } from '../e2e/jaeger/jaegerApi';
import { killChildren } from '../support/childProcess';
import { exchange, python, startServer, expectCleanExit, TraceryProgram, type Call } from './peers';

let jaeger: RunningJaeger;
let tracery: TraceryProgram;
let call: Call;
let stored: JaegerApiTrace;
let spans: ReadSpan[];

beforeAll(async () => {
  [jaeger, tracery] = await Promise.all([startJaeger(), TraceryProgram.build()]);
  const fcFunction = await startServer(python('otel_peer.py', 'fc'), 1, {
    serverEnv: { TRACERY_PEER_JAEGER_ENDPOINT: jaeger.thriftHttpUrl },
  });
  [call] = await exchange(python('jaeger_peer.py', 'http_headers'), tracery.speaking('jaeger'), ['sampled'], {
    clientEnv: { TRACERY_PEER_AGENT_PORT: String(jaeger.agent.port) },
    serverArgs: [fcFunction.url],
    serverEnv: {
      OTEL_SERVICE_NAME: 'tracery-orders',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: jaeger.otlpHttpUrl,
    },
  });
  await expectCleanExit('the FC-style Python function', fcFunction.process);
  stored = await jaeger.waitForTrace(call.sent.traceId, 4);
  spans = readSpans(stored);
});

afterAll(async () => {
  await killChildren();
  await jaeger?.stop();
  tracery?.remove();
});

describe('a trace from Python through Tracery to Python, in Jaeger', () => {
  it('is one tree: each process under the one that called it, each in its own service', () => {
    expect(spans).toHaveLength(4);
    expect(treesOf(spans)).toEqual([
      {
        name: 'GET /peer',
        service: 'python-jaeger-client',
        kind: 'client',
        children: [
          {
            name: 'GET /peer',
            service: 'tracery-orders',
            kind: 'server',
            children: [
              {
                name: 'GET downstream',
                service: 'tracery-orders',
                kind: 'client',
                children: [
                  { name: 'GET /peer', service: 'python-otel-server', kind: 'server', children: [] },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it("keeps the Python client's 64-bit trace id for every span (Jaeger shows it as 16 digits)", () => {
    const id64 = call.sent.headers['uber-trace-id'].split(':')[0];
    expect(id64).toMatch(/^[0-9a-f]{1,16}$/);
    expect(call.received.downstream!.traceId).toBe(id64.padStart(32, '0'));
    // jaeger-client writes the id without leading zeros (1 in 16 ids has one); Jaeger shows a 64-bit id as 16 digits.
    expect(new Set(stored.spans.map((span) => span.traceID))).toEqual(new Set([id64.padStart(16, '0')]));
  });

  it('carries the baggage from the Python client to the Tracery service', () => {
    expect(call.received.baggage).toEqual(call.sent.baggage);
  });
});
