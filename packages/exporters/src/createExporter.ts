import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ExporterConfigError } from './config/ExporterConfigError';
import { validateConfig } from './config/validateConfig';
import type { MemorySpanExporter } from './memory/MemorySpanExporter';
import type { ExporterConfig, JaegerExporterConfig, MemoryExporterConfig } from './types';

type JaegerExporterClass = new (config: JaegerExporterConfig) => SpanExporter;

// Every kind is loaded with `require()` when chosen, never at import time: a Jaeger-only function must not
// pay for loading the OTLP or Zipkin exporters (and their protobuf/HTTP stacks) on a cold start.
function createOne(config: ExporterConfig): SpanExporter {
  switch (config.kind) {
    case 'jaeger':
      // Typed by the contract rather than `typeof import(...)`, so this file does not depend on the Jaeger
      // modules' internals; each module exports its class under this name.
      if (config.agent !== undefined) {
        const { JaegerAgentExporter } = require('./jaeger/JaegerAgentExporter') as {
          JaegerAgentExporter: JaegerExporterClass;
        };
        return new JaegerAgentExporter(config);
      } else {
        const { JaegerHttpExporter } = require('./jaeger/JaegerHttpExporter') as {
          JaegerHttpExporter: JaegerExporterClass;
        };
        return new JaegerHttpExporter(config);
      }
    case 'otlp': {
      const { createOtlpExporter } =
        require('./otlp/createOtlpExporter') as typeof import('./otlp/createOtlpExporter');
      return createOtlpExporter(config);
    }
    case 'zipkin': {
      const { createZipkinExporter } =
        require('./zipkin/createZipkinExporter') as typeof import('./zipkin/createZipkinExporter');
      return createZipkinExporter(config);
    }
    case 'console': {
      const { ConsoleWaterfallExporter } =
        require('./console/ConsoleWaterfallExporter') as typeof import('./console/ConsoleWaterfallExporter');
      return new ConsoleWaterfallExporter(config);
    }
    case 'memory': {
      const { MemorySpanExporter } =
        require('./memory/MemorySpanExporter') as typeof import('./memory/MemorySpanExporter');
      return new MemorySpanExporter(config);
    }
    case 'none': {
      const { NoneSpanExporter } =
        require('./none/NoneSpanExporter') as typeof import('./none/NoneSpanExporter');
      return new NoneSpanExporter();
    }
  }
}

/**
 * Validates `config` (all of it, before building anything) and builds its exporter(s). Invalid settings
 * throw `ExporterConfigError` naming the setting (with `settingPrefix` in front) and the problem.
 * @internal shared by `createExporter`, `exporterFromEnv` and `selectExporter`.
 */
export function buildExporter(config: unknown, settingPrefix: string): SpanExporter {
  if (Array.isArray(config)) {
    if (config.length === 0) {
      throw new ExporterConfigError(
        settingPrefix || 'config',
        'an empty list of exporters (use { kind: "none" })',
      );
    }
    const configs = config.map((c, i) => validateConfig(c, `${settingPrefix}[${i}]`));
    if (configs.length === 1) return createOne(configs[0]);
    const { FanOutSpanExporter } =
      require('./fanout/FanOutSpanExporter') as typeof import('./fanout/FanOutSpanExporter');
    return new FanOutSpanExporter(configs.map(createOne));
  }
  const validated = validateConfig(config, settingPrefix || validatedKindName(config));
  return createOne(validated);
}

const KNOWN_KINDS: readonly string[] = ['jaeger', 'otlp', 'zipkin', 'console', 'memory', 'none'];

/** The name a lone config's settings are reported under: its kind (`otlp.url`), or `config` if unknown. */
function validatedKindName(config: unknown): string {
  const kind = (config as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && KNOWN_KINDS.includes(kind) ? kind : 'config';
}

/**
 * Builds the span exporter for `config`, validated first: a list builds a fan-out exporter sending every
 * batch to each. Only the chosen kinds' modules are loaded.
 *
 * @throws ExporterConfigError when a setting is invalid (the message names it, never its secret value).
 * @example
 * const exporter = createExporter({ kind: 'otlp', url: 'http://collector:4318/v1/traces', compression: 'gzip' });
 * const memory = createExporter({ kind: 'memory' }); // typed MemorySpanExporter
 */
export function createExporter(config: MemoryExporterConfig): MemorySpanExporter;
export function createExporter(config: ExporterConfig | ExporterConfig[]): SpanExporter;
export function createExporter(config: ExporterConfig | ExporterConfig[]): SpanExporter {
  return buildExporter(config, '');
}
