import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/bundleSource';
import { killChildren, startNode } from '../support/childProcess';
import {
  startFakeJaegerCollector,
  type DecodedBatch,
  type FakeJaegerCollector,
} from '../support/fakeJaegerCollector';

// Real child processes on a shared CI machine: give hooks and tests a minute, not Jest's default.
jest.setTimeout(60_000);

const EXAMPLE_SRC = path.join(repoRoot, 'examples', 'jaeger-client-migration', 'src');
const OURS = "require('@tracery/opentracing')";
const THEIRS = "require('jaeger-client')";

/** A tag or log field as it arrived: its Thrift type and value (`LONG:3`, `STRING:GET`, `BOOL:true`). */
type Typed = string;

/** What a span looks like on the wire, without what differs by nature from run to run (ids, times). */
interface SpanShape {
  service: string;
  operation: string;
  /** The parent's `service/operation`, found by its span id among the run's spans (both processes); null for a root. */
  parent: string | null;
  references: string[];
  flags: number;
  tags: Record<string, Typed>;
  logs: Record<string, Typed>[];
}

interface RunShape {
  spans: SpanShape[];
  processTags: Record<string, Record<string, Typed>>;
}

function typed(value: unknown): Typed {
  if (typeof value === 'bigint') return `LONG:${value}`;
  if (typeof value === 'number') return `DOUBLE:${value}`;
  if (typeof value === 'boolean') return `BOOL:${value}`;
  if (Buffer.isBuffer(value)) return `BINARY:${value.toString('hex')}`;
  // The server's port differs from run to run.
  return `STRING:${String(value).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')}`;
}

const typedRecord = (record: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(record)
      .map(([key, value]) => [key, typed(value)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

/** Values that differ by nature between two processes or two runs, masked (their presence and type stay). */
const VOLATILE_PROCESS_TAGS = ['client-uuid', 'ip', 'hostname', 'telemetry.sdk.version', 'jaeger.version'];

function shapeOf(batches: DecodedBatch[]): RunShape {
  const spans = batches.flatMap((batch) => batch.spans.map((span) => ({ batch, span })));
  const byId = new Map(
    spans.map(({ batch, span }) => [span.spanId, `${batch.serviceName}/${span.operationName}`]),
  );
  const processTags: RunShape['processTags'] = {};
  for (const batch of batches) {
    const tags = typedRecord(batch.processTags);
    for (const key of VOLATILE_PROCESS_TAGS) if (key in tags) tags[key] = tags[key].replace(/:.*/, ':*');
    processTags[batch.serviceName] = tags;
  }
  return {
    processTags,
    spans: spans
      .map(({ batch, span }) => ({
        service: batch.serviceName,
        operation: span.operationName,
        parent: span.parentSpanId === '0000000000000000' ? null : (byId.get(span.parentSpanId) ?? 'unknown'),
        references: span.references.map(
          (ref) => `${ref.refType === 0 ? 'CHILD_OF' : 'FOLLOWS_FROM'} ${byId.get(ref.spanId) ?? 'unknown'}`,
        ),
        flags: span.flags,
        tags: typedRecord(span.tags),
        logs: span.logs.map((log) => typedRecord(log.fields)),
      }))
      .sort((a, b) => `${a.service}/${a.operation}`.localeCompare(`${b.service}/${b.operation}`)),
  };
}

/**
 * What jaeger-client sent, changed by exactly the differences that packages/opentracing/README.md lists
 * ("What arrives differently"): what arrives from Tracery must equal this.
 */
function withListedDifferences(run: RunShape): RunShape {
  // Integer numbers are LONG tags (jaeger-client sent every number as DOUBLE).
  const integersAsLong = (record: Record<string, Typed>) =>
    Object.fromEntries(
      Object.entries(record).map(([key, value]) => [key, value.replace(/^DOUBLE:(-?\d+)$/, 'LONG:$1')]),
    );
  const sorted = (record: Record<string, Typed>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  const processTags: RunShape['processTags'] = {};
  for (const [service, tags] of Object.entries(run.processTags)) {
    // OpenTelemetry's resource replaces jaeger-client's own version tag.
    const { 'jaeger.version': _version, ...rest } = integersAsLong(tags);
    processTags[service] = sorted({
      ...rest,
      'telemetry.sdk.language': 'STRING:nodejs',
      'telemetry.sdk.name': 'STRING:opentelemetry',
      'telemetry.sdk.version': 'STRING:*',
    });
  }
  return {
    processTags,
    spans: run.spans.map((span) => ({
      ...span,
      tags: sorted({
        ...integersAsLong(span.tags),
        // Every span names its instrumentation scope; an error tag is also OpenTelemetry's ERROR status.
        'otel.scope.name': 'STRING:@tracery/opentracing',
        ...(span.tags.error === 'BOOL:true' ? { 'otel.status_code': 'STRING:ERROR' } : {}),
      }),
      // A log without an event field is an event named "log".
      logs: span.logs.map((fields) => sorted({ event: 'STRING:log', ...integersAsLong(fields) })),
    })),
  };
}

/** The example's sources, copied to `dir`, with `require` rewritten to `to`; returns the lines that changed. */
function copyExample(dir: string, to: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const changed: string[] = [];
  for (const file of fs.readdirSync(EXAMPLE_SRC)) {
    const source = fs.readFileSync(path.join(EXAMPLE_SRC, file), 'utf8');
    const rewritten = source.split(OURS).join(to);
    const before = source.split('\n');
    rewritten.split('\n').forEach((line, i) => {
      if (line !== before[i]) changed.push(`${file}: ${line.trim()}`);
    });
    fs.writeFileSync(path.join(dir, file), rewritten);
  }
  return changed;
}

/** Runs a copy of the example against the collector; resolves with its output and what the collector got. */
async function runCopy(dir: string, collector: FakeJaegerCollector) {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OTEL_|TRACERY_|JAEGER_|NODE_ENV$)/.test(key)) env[key] = value;
  }
  const before = collector.batches.length;
  const child = startNode([path.join(dir, 'main.js')], {
    cwd: dir,
    // The copies live outside the repository: their requires are resolved from its node_modules.
    env: { ...env, COLLECTOR_URL: collector.url, NODE_PATH: path.join(repoRoot, 'node_modules') },
    deadlineMs: 30_000,
  });
  const { code } = await child.exited;
  return { code, stderr: child.stderr(), lines: child.lines, batches: collector.batches.slice(before) };
}

describe('examples/jaeger-client-migration', () => {
  let workDir: string;
  let collector: FakeJaegerCollector;
  let changedLines: string[];
  let theirs: Awaited<ReturnType<typeof runCopy>>;
  let ours: Awaited<ReturnType<typeof runCopy>>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(repoRoot, 'packages', 'opentracing', 'dist', 'index.js'))) {
      throw new Error('packages/opentracing/dist is missing: run `npm run build` first (npm test does)');
    }
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-migration-'));
    collector = await startFakeJaegerCollector();
    changedLines = copyExample(path.join(workDir, 'jaeger-client'), THEIRS);
    copyExample(path.join(workDir, 'tracery'), OURS);
    theirs = await runCopy(path.join(workDir, 'jaeger-client'), collector);
    ours = await runCopy(path.join(workDir, 'tracery'), collector);
  });

  afterAll(async () => {
    await killChildren();
    await collector?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('differs from its jaeger-client version in one line: the require', () => {
    expect(changedLines).toEqual([`tracing.js: const { initTracer } = ${THEIRS};`]);
  });

  it('runs both versions to the end: two processes, one HTTP call, baggage read by the server', () => {
    for (const run of [theirs, ours]) {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.lines).toEqual(
        expect.arrayContaining([
          '[shop] price for acme: 90.5',
          '[shop] client closed',
          '[price-service] server closed',
        ]),
      );
    }
  });

  it('sends one trace across both processes in each version', () => {
    for (const run of [theirs, ours]) {
      const spans = run.batches.flatMap((batch) => batch.spans);
      expect(spans).toHaveLength(6);
      expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
      expect(new Set(run.batches.map((batch) => batch.serviceName))).toEqual(
        new Set(['shop', 'price-service']),
      );
    }
  });

  it('sends the same spans: operation names, parents across the two processes, references, flags', () => {
    const structure = (run: RunShape) =>
      run.spans.map(({ service, operation, parent, references, flags }) => ({
        service,
        operation,
        parent,
        references,
        flags,
      }));
    expect(structure(shapeOf(ours.batches))).toEqual(structure(shapeOf(theirs.batches)));
    expect(structure(shapeOf(ours.batches))).toContainEqual({
      service: 'price-service',
      operation: 'GET /price',
      parent: 'shop/GET /price',
      references: [],
      flags: 3,
    });
  });

  it('sends the debug trace (sampling.priority 1 on checkout) with flags 3 on every span of both processes', () => {
    for (const run of [theirs, ours]) {
      expect(shapeOf(run.batches).spans.map((span) => span.flags)).toEqual([3, 3, 3, 3, 3, 3]);
    }
  });

  it('sends the same tags with the same types, but for the differences the README lists', () => {
    const tags = (run: RunShape) => run.spans.map((span) => span.tags);
    expect(tags(shapeOf(ours.batches))).toEqual(tags(withListedDifferences(shapeOf(theirs.batches))));
  });

  it('sends the same logs (the baggage log included), but for the differences the README lists', () => {
    const logs = (run: RunShape) => run.spans.map((span) => span.logs);
    expect(logs(shapeOf(ours.batches))).toEqual(logs(withListedDifferences(shapeOf(theirs.batches))));
    expect(logs(shapeOf(ours.batches)).flat()).toContainEqual({
      event: 'STRING:baggage',
      key: 'STRING:customer',
      value: 'STRING:acme',
    });
  });

  it('sends the same process tags, but for the differences the README lists', () => {
    expect(shapeOf(ours.batches).processTags).toEqual(
      withListedDifferences(shapeOf(theirs.batches)).processTags,
    );
  });

  it("differs in the trace ids' width: 64 bits from jaeger-client, 128 from OpenTelemetry (both read either)", () => {
    const high = (run: typeof ours) =>
      run.batches.flatMap((batch) => batch.spans.map((span) => span.traceIdHigh));
    expect(new Set(high(theirs))).toEqual(new Set([0n]));
    expect(high(ours).every((value) => value !== 0n)).toBe(true);
  });
});
