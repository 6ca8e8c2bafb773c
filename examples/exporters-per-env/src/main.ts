/**
 * The same program, four destinations, chosen by the environment only:
 *   TRACERY_ENV=development node dist/main.js
 *   OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 node dist/main.js
 *   OTEL_TRACES_EXPORTER=jaeger OTEL_EXPORTER_JAEGER_ENDPOINT=http://localhost:14268/api/traces node dist/main.js
 *   TRACERY_ENV=production TRACING_ANALYSIS_REGION=cn-hangzhou TRACING_ANALYSIS_TOKEN=... node dist/main.js
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { TracerService } from '@tracery/core';
import { chooseExporter } from './exporter';
import { ReportJob } from './ReportJob';

async function main(): Promise<void> {
  // Export failures (collector down, bad token) are reported through diag: show them on stderr.
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const { exporter, chosenBy } = chooseExporter();
  const tracer = new TracerService({ serviceName: 'report-job', exporter });
  const length = await new ReportJob().run('2026-11-25');
  // Flushes the spans, then closes. A failed export was already reported (once) through diag: the job's own
  // outcome does not depend on it.
  await tracer.shutdown().catch(() => undefined);
  console.log(`report of ${length} characters; exporter chosen by ${chosenBy}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
