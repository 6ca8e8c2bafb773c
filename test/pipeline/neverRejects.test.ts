// With the collector down, a program that awaits flush and shutdown (or unloads the inversify module) at exit must
// not crash: nothing rejects, whichever exporter kind (the issue met 9 rejections in 9 calls on the code before).
import 'reflect-metadata';
import { Container } from 'inversify';
import { TracerService, tracingModule } from '@tracery/core/inversify';
import { createExporter, type ExporterConfig } from '@tracery/exporters';
import { closedPortUrl } from '../support/loopback';

const KINDS: [string, (base: string) => ExporterConfig][] = [
  ['jaeger', (base) => ({ kind: 'jaeger', endpoint: `${base}/api/traces`, timeoutMs: 300 })],
  ['otlp', (base) => ({ kind: 'otlp', url: `${base}/v1/traces`, timeoutMs: 300 })],
  ['zipkin', (base) => ({ kind: 'zipkin', url: `${base}/api/v2/spans`, timeoutMs: 300 })],
];

describe.each(KINDS)('with a %s exporter and the collector down (connection refused)', (_kind, configFor) => {
  let base: string;
  beforeEach(async () => (base = await closedPortUrl()));

  it('TracerService.forceFlush() and shutdown() resolve', async () => {
    const tracing = new TracerService({ exporter: createExporter(configFor(base)), registerGlobal: false });
    tracing.startSpan('work').end();
    await expect(tracing.forceFlush()).resolves.toBeUndefined();
    tracing.startSpan('more work').end();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    expect(tracing.exportStats().dropped.exportFailed).toBe(2);
  });

  it('unloading tracingModule from the container resolves', async () => {
    const container = new Container();
    const module = tracingModule({ exporter: createExporter(configFor(base)), registerGlobal: false });
    await container.load(module);
    const tracing = container.get(TracerService);
    tracing.startSpan('work').end();
    await expect(container.unload(module)).resolves.toBeUndefined();
    expect(tracing.exportStats().dropped.exportFailed).toBe(1);
  });
});
