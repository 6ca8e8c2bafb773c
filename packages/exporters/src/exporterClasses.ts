// The exporter classes, as values (`new`, `instanceof`, `extends`) and as types. Each is loaded when first used,
// never when the package is imported: a Jaeger-only function does not load the OTLP or Zipkin exporters.
import type { ConsoleWaterfallExporter as ConsoleWaterfallExporterClass } from './console/ConsoleWaterfallExporter';
import type { FanOutSpanExporter as FanOutSpanExporterClass } from './fanout/FanOutSpanExporter';
import type { JaegerAgentExporter as JaegerAgentExporterClass } from './jaeger/JaegerAgentExporter';
import type { JaegerHttpExporter as JaegerHttpExporterClass } from './jaeger/JaegerHttpExporter';
import { lazyClass } from './loading/lazyClass';
import type { MemorySpanExporter as MemorySpanExporterClass } from './memory/MemorySpanExporter';
import type { NoneSpanExporter as NoneSpanExporterClass } from './none/NoneSpanExporter';
import type { OtlpHttpExporter as OtlpHttpExporterClass } from './otlp/OtlpHttpExporter';
import type { ZipkinExporter as ZipkinExporterClass } from './zipkin/ZipkinExporter';

/** Jaeger Thrift over HTTP to a collector (`createExporter({ kind: 'jaeger', endpoint })` builds one). */
export const JaegerHttpExporter = lazyClass(
  () =>
    (require('./jaeger/JaegerHttpExporter') as typeof import('./jaeger/JaegerHttpExporter'))
      .JaegerHttpExporter,
);
export type JaegerHttpExporter = JaegerHttpExporterClass;

/** Jaeger Thrift over UDP to an agent (`createExporter({ kind: 'jaeger', agent })` builds one). */
export const JaegerAgentExporter = lazyClass(
  () =>
    (require('./jaeger/JaegerAgentExporter') as typeof import('./jaeger/JaegerAgentExporter'))
      .JaegerAgentExporter,
);
export type JaegerAgentExporter = JaegerAgentExporterClass;

/** OTLP over HTTP, protobuf or JSON (`createExporter({ kind: 'otlp' })` builds one). */
export const OtlpHttpExporter = lazyClass(
  () => (require('./otlp/OtlpHttpExporter') as typeof import('./otlp/OtlpHttpExporter')).OtlpHttpExporter,
);
export type OtlpHttpExporter = OtlpHttpExporterClass;

/** Zipkin v2 JSON over HTTP (`createExporter({ kind: 'zipkin' })` builds one). */
export const ZipkinExporter = lazyClass(
  () => (require('./zipkin/ZipkinExporter') as typeof import('./zipkin/ZipkinExporter')).ZipkinExporter,
);
export type ZipkinExporter = ZipkinExporterClass;

/** A waterfall of each trace in the terminal (`createExporter({ kind: 'console' })` builds one). */
export const ConsoleWaterfallExporter = lazyClass(
  () =>
    (require('./console/ConsoleWaterfallExporter') as typeof import('./console/ConsoleWaterfallExporter'))
      .ConsoleWaterfallExporter,
);
export type ConsoleWaterfallExporter = ConsoleWaterfallExporterClass;

/** Keeps spans in memory, for tests (`createExporter({ kind: 'memory' })` builds one). */
export const MemorySpanExporter = lazyClass(
  () =>
    (require('./memory/MemorySpanExporter') as typeof import('./memory/MemorySpanExporter'))
      .MemorySpanExporter,
);
export type MemorySpanExporter = MemorySpanExporterClass;

/** Sends every batch to several exporters (`createExporter([...])` of several configs builds one). */
export const FanOutSpanExporter = lazyClass(
  () =>
    (require('./fanout/FanOutSpanExporter') as typeof import('./fanout/FanOutSpanExporter'))
      .FanOutSpanExporter,
);
export type FanOutSpanExporter = FanOutSpanExporterClass;

/** Accepts and drops every span (`createExporter({ kind: 'none' })` builds one). */
export const NoneSpanExporter = lazyClass(
  () => (require('./none/NoneSpanExporter') as typeof import('./none/NoneSpanExporter')).NoneSpanExporter,
);
export type NoneSpanExporter = NoneSpanExporterClass;
