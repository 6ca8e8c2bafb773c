import { exporterFromEnv, selectExporter, tracingAnalysis, type ExporterConfig } from '@tracery/exporters';

type SpanExporter = ReturnType<typeof exporterFromEnv>;

/**
 * The Tracing Analysis config for `TRACERY_ENV=production`, from `TRACING_ANALYSIS_REGION`, `_TOKEN`,
 * `_PROTOCOL` (`jaeger` or `otlp`, default `jaeger`) and `_INTERNAL` (`true` inside the region's VPC).
 * `TRACING_ANALYSIS_ORIGIN` replaces the scheme and host only (a proxy, or a local stand-in in tests).
 */
function productionProfile(env: NodeJS.ProcessEnv): ExporterConfig {
  const config = tracingAnalysis({
    region: env.TRACING_ANALYSIS_REGION ?? '',
    token: env.TRACING_ANALYSIS_TOKEN ?? '',
    protocol: env.TRACING_ANALYSIS_PROTOCOL === 'otlp' ? 'otlp' : 'jaeger',
    internal: env.TRACING_ANALYSIS_INTERNAL === 'true',
  });
  const origin = env.TRACING_ANALYSIS_ORIGIN;
  if (!origin) return config;
  if (config.kind === 'jaeger' && config.endpoint)
    return { ...config, endpoint: withOrigin(config.endpoint, origin) };
  if (config.kind === 'otlp' && config.url) return { ...config, url: withOrigin(config.url, origin) };
  return config;
}

function withOrigin(url: string, origin: string): string {
  const parsed = new URL(url);
  return new URL(parsed.pathname + parsed.search, origin).toString();
}

/**
 * `TRACERY_ENV` set: the named profile (`development`: console, `production`: Tracing Analysis).
 * Otherwise OpenTelemetry's own variables decide (`OTEL_TRACES_EXPORTER=otlp|jaeger|zipkin|console|none`, and
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_JAEGER_ENDPOINT`, ...).
 */
export function chooseExporter(env: NodeJS.ProcessEnv = process.env): {
  exporter: SpanExporter;
  chosenBy: string;
} {
  if (env.TRACERY_ENV) {
    const exporter = selectExporter(
      {
        development: { kind: 'console', attributes: true },
        // a function: called only when production is the chosen profile, so the token need not exist elsewhere
        production: () => productionProfile(env),
      },
      env.TRACERY_ENV,
    );
    return { exporter, chosenBy: `TRACERY_ENV=${env.TRACERY_ENV}` };
  }
  return {
    exporter: exporterFromEnv(env),
    chosenBy: `OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER ?? '(default)'}`,
  };
}
