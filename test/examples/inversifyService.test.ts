import {
  startFakeJaegerCollector,
  type DecodedSpan,
  type FakeJaegerCollector,
} from '../support/fakeJaegerCollector';
import { killChildren } from '../support/childProcess';
import { runExample } from '../support/examples';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

describe('examples/inversify-service', () => {
  afterAll(killChildren);

  describe('when TRACERY_ENV=development', () => {
    let run: Awaited<ReturnType<typeof runExample>>;

    beforeAll(async () => {
      run = await runExample('inversify-service', { env: { TRACERY_ENV: 'development' } });
    });

    it('runs the program to the end', () => {
      expect(run.code).toBe(0);
      expect(run.lines).toContain('placed o-1');
      expect(run.lines).toContain('rejected: out of stock: sku-pear');
    });

    it('draws each order as a waterfall in the terminal, with the @SpanTag values and the error', () => {
      expect(run.stdout).toMatch(/^trace [0-9a-f]{32} · 3 spans · .* · service order-service$/m);
      expect(run.stdout).toMatch(/^├─ OrderRepository\.stockOf .*$/m);
      expect(run.stdout).toMatch(/^└─ OrderRepository\.save .*$/m);
      expect(run.stdout).toContain('customer.id="c-7"');
      expect(run.stdout).toContain('order.channel="web"');
      expect(run.stdout).toMatch(/^OrderService\.placeOrder ✗ .*ERROR: out of stock: sku-pear$/m);
    });
  });

  describe('when neither TRACERY_ENV nor NODE_ENV is set', () => {
    it('uses the development profile, as its README says (the waterfall in the terminal)', async () => {
      const run = await runExample('inversify-service');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^trace [0-9a-f]{32} · 3 spans · .* · service order-service$/m);
    });
  });

  describe('when TRACERY_ENV=staging (Jaeger)', () => {
    let collector: FakeJaegerCollector;
    let spans: DecodedSpan[];
    let code: number | null;

    beforeAll(async () => {
      collector = await startFakeJaegerCollector();
      ({ code } = await runExample('inversify-service', {
        env: { TRACERY_ENV: 'staging', JAEGER_ENDPOINT: collector.url },
      }));
      spans = collector.spans();
    });

    afterAll(() => collector.close());

    it('sends every span of both orders before exiting', () => {
      expect(code).toBe(0);
      expect(spans.map((span) => span.operationName).sort()).toEqual([
        'OrderRepository.save',
        'OrderRepository.stockOf',
        'OrderRepository.stockOf',
        'OrderService.placeOrder',
        'OrderService.placeOrder',
      ]);
      expect(new Set(collector.batches.map((batch) => batch.serviceName))).toEqual(
        new Set(['order-service']),
      );
      expect(collector.batches[0].processTags).toMatchObject({ 'deployment.environment.name': 'staging' });
    });

    it('puts the repository spans under the service span of the same order', () => {
      const placed = spans.find(
        (span) => span.operationName === 'OrderService.placeOrder' && span.tags['order.id'] === 'o-1',
      )!;
      const children = spans.filter((span) => span.parentSpanId === placed.spanId);
      expect(children.map((span) => span.operationName).sort()).toEqual([
        'OrderRepository.save',
        'OrderRepository.stockOf',
      ]);
      for (const child of children) {
        expect(child.traceId).toBe(placed.traceId);
        expect(child.tags['span.kind']).toBe('client');
      }
      expect(placed.parentSpanId).toBe('0000000000000000');
    });

    it('tags the spans from parameters, dotted paths and results (@SpanTag)', () => {
      const placed = spans.find(
        (span) => span.tags['order.id'] === 'o-1' && span.operationName === 'OrderService.placeOrder',
      )!;
      expect(placed.tags).toMatchObject({ 'customer.id': 'c-7', 'order.channel': 'web', 'order.items': 1n });
      const saved = spans.find((span) => span.operationName === 'OrderRepository.save')!;
      expect(saved.tags).toMatchObject({ 'order.id': 'o-1', 'order.count': 1n, 'db.system.name': 'memory' });
    });

    it('marks the rejected order as an error, with the exception as a log', () => {
      const rejected = spans.find(
        (span) => span.operationName === 'OrderService.placeOrder' && span.tags['customer.id'] === 'c-8',
      )!;
      expect(rejected.tags.error).toBe(true);
      expect(rejected.tags['order.id']).toBeUndefined();
      expect(rejected.logs.map((log) => log.fields)).toContainEqual(
        expect.objectContaining({ event: 'exception', 'exception.message': 'out of stock: sku-pear' }),
      );
    });
  });

  describe('when TRACERY_ENV names no profile', () => {
    it('fails at start-up with a message naming the setting and the known profiles', async () => {
      const run = await runExample('inversify-service', { env: { TRACERY_ENV: 'qa' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('TRACERY_ENV');
      expect(run.stderr).toContain('development, test, staging, production');
    });
  });
});
