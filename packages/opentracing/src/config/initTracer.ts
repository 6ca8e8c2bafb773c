import { ProxyTracerProvider } from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { attributeValueLengthLimit, TracerService } from '@tracery/core';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import { LoggingSpanProcessor } from '../reporting/LoggingSpanProcessor';
import { OpenTracingTracer, settle } from '../tracer/OpenTracingTracer';
import { jaegerExporter } from './jaegerExporter';
import { describeSampling, jaegerSampler } from './jaegerSampler';
import { processTags } from './processTags';
import type { JaegerConfig, JaegerOptions } from './types';

/** jaeger-client's reporter flush interval. */
const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/** jaeger-client options that have no equivalent here; each is reported once when given. */
const UNSUPPORTED_OPTIONS = [
  'metrics',
  'reporter',
  'throttler',
  'contextKey',
  'baggagePrefix',
  'baggageRestrictionManager',
  'shareRpcSpan',
  'traceId128bit',
] as const;

/**
 * jaeger-client's `initTracer(config, options)`, on OpenTelemetry: builds a tracer provider for
 * `config.serviceName` with `options.tags` as process tags, the sampler of `config.sampler` (default:
 * remote sampling, as jaeger-client), and a Jaeger exporter of `@tracery/exporters` chosen as jaeger-client
 * chooses (HTTP to `reporter.collectorEndpoint`, else UDP to the agent), flushed every
 * `reporter.flushIntervalMs` (default 1000 ms). It registers that provider, an AsyncLocalStorage context
 * manager and the propagator globally (through `TracerService`), so `@Traced` methods and OpenTelemetry
 * instrumentations record into the same traces, and returns the OpenTracing tracer on it.
 * `tracer.close(callback)` flushes and shuts it all down. Never throws: a bad setting is reported once
 * (through `diag` and `options.logger.error`) and its default is used. `config.disable` gives a tracer
 * that records nothing.
 *
 * @example
 * const { initTracer } = require('@tracery/opentracing'); // was: require('jaeger-client')
 * const tracer = initTracer(
 *   { serviceName: 'orders', sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: 'http://jaeger:14268/api/traces' } },
 *   { tags: { 'orders.version': '1.4.2' } },
 * );
 */
export function initTracer(config: JaegerConfig, options: JaegerOptions = {}): OpenTracingTracer {
  const settings: JaegerConfig = config !== null && typeof config === 'object' ? config : {};
  const given: JaegerOptions = options !== null && typeof options === 'object' ? options : {};
  const logger = validLogger(given.logger);
  for (const name of UNSUPPORTED_OPTIONS) {
    if ((given as Record<string, unknown>)[name] !== undefined) {
      reportOnce(
        `options:${name}`,
        `jaeger-client's options.${name} is not supported and was ignored`,
        logger,
      );
    }
  }
  if (settings.disable === true) {
    return new OpenTracingTracer({ tracerProvider: new ProxyTracerProvider(), logger });
  }
  let serviceName = settings.serviceName;
  if (typeof serviceName !== 'string' || serviceName === '') {
    reportOnce(
      'config:serviceName',
      "config.serviceName is missing; OpenTelemetry's default service name is used",
      logger,
    );
    serviceName = undefined;
  }
  const reporter = settings.reporter ?? {};
  const { exporter, description } = jaegerExporter(reporter, logger);
  const processors: SpanProcessor[] = [];
  if (reporter.logSpans === true) processors.push(new LoggingSpanProcessor(logger));
  processors.push(
    new BatchSpanProcessor(exporter, {
      scheduledDelayMillis: reporter.flushIntervalMs || DEFAULT_FLUSH_INTERVAL_MS,
    }),
  );
  const propagation = given.propagation ?? 'jaeger';
  const service = new TracerService({
    serviceName,
    resource: processTags(given.tags, attributeValueLengthLimit()),
    spanProcessors: processors,
    sampler: jaegerSampler(settings.sampler, logger),
    propagation,
  });
  try {
    logger?.info(
      `Initializing @tracery/opentracing tracer for ${serviceName ?? 'an unnamed service'}: spans to ` +
        `${description}, ${describeSampling(settings.sampler)}, ${propagation} propagation`,
    );
  } catch {
    // The user's logger must not break start-up.
  }
  return new ServiceTracer(service, propagation, logger);
}

/** The tracer `initTracer` returns: its `close` shuts down the provider built for it. */
class ServiceTracer extends OpenTracingTracer {
  constructor(
    private readonly service: TracerService,
    propagation: JaegerOptions['propagation'],
    logger: JaegerLogger | undefined,
  ) {
    super({ tracerProvider: service.provider, propagation, logger });
  }

  /**
   * jaeger-client's `close`: exports every finished span, stops the sampler's polling, shuts the provider
   * down and unregisters what `initTracer` registered globally; then calls `callback` and resolves (a
   * failed export is reported, not thrown). Later calls wait for the same shutdown.
   */
  override close(callback?: () => void): Promise<void> {
    return settle(this.service.shutdown(), callback, () =>
      this.fault('close', 'spans could not be exported on close'),
    );
  }
}

/** jaeger-client's logger with whichever of `info`/`error` it has (a missing one does nothing), bound to it. */
function validLogger(logger: unknown): JaegerLogger | undefined {
  if (logger === null || typeof logger !== 'object') return undefined;
  const { info, error } = logger as Partial<Record<keyof JaegerLogger, unknown>>;
  if (typeof info !== 'function' && typeof error !== 'function') return undefined;
  return {
    info: (message) => void (typeof info === 'function' ? info.call(logger, message) : undefined),
    error: (message) => void (typeof error === 'function' ? error.call(logger, message) : undefined),
  };
}
