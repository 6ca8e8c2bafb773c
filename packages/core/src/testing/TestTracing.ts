import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  trace,
  SpanStatusCode,
  type DiagLogger,
  type SpanKind,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Remembers the spans that started and have not ended yet, so a test can prove nothing leaked. */
class OpenSpanTracker implements SpanProcessor {
  readonly open = new Set<Span>();
  onStart(span: Span): void {
    this.open.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.open.clear();
    return Promise.resolve();
  }
}

/** What `expectTrace` compares a span tree with: every member but `name` is optional. */
export interface TraceShape {
  /** The span's name. */
  name: string;
  /** The span's kind, when it matters. */
  kind?: SpanKind;
  /** Attributes the span must have (others may be there too). */
  attributes?: Record<string, unknown>;
  /** `true` when the span must have status ERROR, `false` when it must not. */
  error?: boolean;
  /** The names of the span's events, in order (an exception is `'exception'`). Omit to leave them unchecked. */
  events?: string[];
  /** The number of links the span must have. Omit to leave them unchecked. */
  links?: number;
  /** The span's children, in start order. Omit to leave them unchecked; `[]` requires none. */
  children?: TraceShape[];
}

/** Options of `TestTracing.install`. */
export interface TestTracingOptions {
  /** The provider's sampler. Default: OpenTelemetry's default (parent-based, always on). */
  sampler?: Sampler;
  /**
   * `true` installs a `diag` logger that keeps warnings and errors for `diagnostics()` (and removes it on
   * `uninstall`), to check what instrumentation reports. Default: `false` (`diag` is left alone).
   */
  captureDiagnostics?: boolean;
}

/**
 * An in-memory tracing pipeline for one test file: a provider registered as the global one, with an
 * AsyncLocalStorage context manager, every ended span kept in memory (exported synchronously, so no flush
 * or sleep is needed before asserting) and the open ones tracked.
 *
 * @example
 * const tracing = TestTracing.install();
 * afterEach(() => tracing.reset());
 * afterAll(() => tracing.uninstall());
 * it('traces the order', async () => {
 *   await new OrderService().place({ id: 'o-1' });
 *   tracing.expectTrace({ name: 'OrderService.place', children: [{ name: 'OrderRepository.save' }] });
 *   tracing.expectNoOpenSpans();
 * });
 */
export class TestTracing {
  readonly exporter = new InMemorySpanExporter();
  readonly provider: BasicTracerProvider;
  private readonly tracker = new OpenSpanTracker();
  private readonly contextManager = new AsyncLocalStorageContextManager();
  private readonly diagnosticMessages: string[] = [];
  private readonly capturesDiagnostics: boolean;

  private constructor(options: TestTracingOptions) {
    this.provider = new BasicTracerProvider({
      sampler: options.sampler,
      spanProcessors: [this.tracker, new SimpleSpanProcessor(this.exporter)],
    });
    this.capturesDiagnostics = options.captureDiagnostics === true;
  }

  /** Builds the pipeline and registers it as the global OpenTelemetry provider and context manager. */
  static install(options: TestTracingOptions = {}): TestTracing {
    const tracing = new TestTracing(options);
    trace.disable();
    context.disable();
    context.setGlobalContextManager(tracing.contextManager.enable());
    trace.setGlobalTracerProvider(tracing.provider);
    if (tracing.capturesDiagnostics) {
      const keep = (message: string, ...args: unknown[]) =>
        tracing.diagnosticMessages.push([message, ...args.map(String)].join(' '));
      const logger: DiagLogger = {
        error: keep,
        warn: keep,
        info: () => {},
        debug: () => {},
        verbose: () => {},
      };
      diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    }
    return tracing;
  }

  /** The `diag` warnings and errors since `install` (with `captureDiagnostics: true`), oldest first. */
  diagnostics(): string[] {
    return [...this.diagnosticMessages];
  }

  /** The spans started and not ended yet, by name. */
  openSpans(): string[] {
    return [...this.tracker.open].map((span) => span.name);
  }

  /** The spans ended so far, in the order they ended. */
  spans(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  /** The ended spans with this name (or whose name matches this pattern). */
  spansNamed(name: string | RegExp): ReadableSpan[] {
    return this.spans().filter((span) =>
      typeof name === 'string' ? span.name === name : name.test(span.name),
    );
  }

  /** The one ended span with this name; throws when there is none or more than one. */
  spanNamed(name: string | RegExp): ReadableSpan {
    const found = this.spansNamed(name);
    if (found.length !== 1) {
      throw new Error(
        `expected one span named ${String(name)}, found ${found.length}: ${this.describeSpans()}`,
      );
    }
    return found[0];
  }

  /** Forgets the spans ended so far (open spans stay tracked). */
  reset(): void {
    this.exporter.reset();
  }

  /** Throws, naming them, when spans were started and never ended. */
  expectNoOpenSpans(): void {
    if (this.tracker.open.size === 0) return;
    const names = this.openSpans().join(', ');
    throw new Error(`expected no open spans, found ${this.tracker.open.size}: ${names}`);
  }

  /**
   * Throws unless the ended spans contain a root (a span whose parent is not among them) matching `shape`,
   * children checked recursively by parent span id, in start order.
   */
  expectTrace(shape: TraceShape): void {
    const spans = this.spans();
    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    const roots = spans.filter((span) => !isChildOfAny(span, ids));
    const problems: string[] = [];
    for (const root of roots) {
      const mismatch = matchShape(root, shape, spans, shape.name);
      if (mismatch === undefined) return;
      problems.push(mismatch);
    }
    throw new Error(
      `no trace matches ${shape.name}:\n  ${problems.join('\n  ') || 'no root spans'}\nspans: ${this.describeSpans()}`,
    );
  }

  /** Shuts the provider down and unregisters the global provider and context manager. */
  async uninstall(): Promise<void> {
    await this.provider.shutdown();
    if (this.capturesDiagnostics) diag.disable();
    trace.disable();
    context.disable();
    propagation.disable();
  }

  private describeSpans(): string {
    return this.spans()
      .map(
        (span) => `${span.name}(${span.spanContext().spanId} <- ${span.parentSpanContext?.spanId ?? 'root'})`,
      )
      .join(', ');
  }
}

function isChildOfAny(span: ReadableSpan, ids: Set<string>): boolean {
  const parent = span.parentSpanContext?.spanId;
  return parent !== undefined && ids.has(parent);
}

function matchShape(
  span: ReadableSpan,
  shape: TraceShape,
  all: ReadableSpan[],
  path: string,
): string | undefined {
  if (span.name !== shape.name) return `${path}: name is ${span.name}`;
  if (shape.kind !== undefined && span.kind !== shape.kind) return `${path}: kind is ${span.kind}`;
  if (shape.error !== undefined && (span.status.code === SpanStatusCode.ERROR) !== shape.error) {
    return `${path}: status is ${SpanStatusCode[span.status.code]}`;
  }
  if (shape.events !== undefined) {
    const events = span.events.map((event) => event.name);
    if (JSON.stringify(events) !== JSON.stringify(shape.events)) {
      return `${path}: events are ${JSON.stringify(events)}, expected ${JSON.stringify(shape.events)}`;
    }
  }
  if (shape.links !== undefined && span.links.length !== shape.links) {
    return `${path}: ${span.links.length} links, expected ${shape.links}`;
  }
  for (const [key, expected] of Object.entries(shape.attributes ?? {})) {
    const actual = span.attributes[key];
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      return `${path}: attribute ${key} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
    }
  }
  if (shape.children === undefined) return undefined;
  const spanId = span.spanContext().spanId;
  const children = all
    .filter((candidate) => candidate.parentSpanContext?.spanId === spanId)
    .sort((a, b) => compareHrTime(a.startTime, b.startTime));
  if (children.length !== shape.children.length) {
    return `${path}: ${children.length} children (${children.map((c) => c.name).join(', ')}), expected ${shape.children.length}`;
  }
  for (let i = 0; i < children.length; i++) {
    const mismatch = matchShape(children[i], shape.children[i], all, `${path} > ${shape.children[i].name}`);
    if (mismatch !== undefined) return mismatch;
  }
  return undefined;
}

function compareHrTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
