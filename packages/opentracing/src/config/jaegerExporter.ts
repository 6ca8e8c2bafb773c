import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createExporter, redactUrl, type JaegerExporterConfig } from '@tracery/exporters';
import { reportOnce, type JaegerLogger } from '../diagnostics/reportOnce';
import type { JaegerReporterConfig } from './types';

/** The Jaeger agent's UDP port for the compact Thrift protocol (`@tracery/exporters` speaks this one). */
export const AGENT_COMPACT_PORT = 6831;
/** The agent's port for the binary protocol, jaeger-client's default; `@tracery/exporters` does not speak it. */
const AGENT_BINARY_PORT = 6832;

/**
 * The exporter jaeger-client's reporter config asks for, as jaeger-client chooses: Jaeger Thrift over HTTP
 * to `collectorEndpoint` (with basic auth) when it is set, else UDP to the agent (`agentHost`, default
 * `localhost`; `agentPort`, default 6831). An invalid setting is reported once (never its secret) and
 * nothing is exported.
 */
export function jaegerExporter(
  reporter: JaegerReporterConfig | undefined,
  logger: JaegerLogger | undefined,
): { exporter: SpanExporter; description: string } {
  const settings = reporter ?? {};
  let config: JaegerExporterConfig;
  let description: string;
  if (settings.collectorEndpoint) {
    config = { kind: 'jaeger', endpoint: settings.collectorEndpoint };
    if (settings.username) config.username = settings.username;
    if (settings.password) config.password = settings.password;
    if (settings.timeoutMs) config.timeoutMs = settings.timeoutMs;
    description = `Jaeger HTTP to ${redactUrl(settings.collectorEndpoint)}`;
  } else {
    const host = settings.agentHost || 'localhost';
    const port = settings.agentPort || AGENT_COMPACT_PORT;
    if (port === AGENT_BINARY_PORT) {
      reportOnce(
        'reporter:agentPort',
        `agentPort ${AGENT_BINARY_PORT} is the Jaeger agent's binary-protocol port; spans are sent in the compact ` +
          `protocol, which the agent reads on ${AGENT_COMPACT_PORT}`,
        logger,
      );
    }
    config = { kind: 'jaeger', agent: { host, port } };
    description = `Jaeger agent UDP ${host}:${port}`;
  }
  try {
    return { exporter: createExporter(config), description };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid reporter settings';
    const setting = (error as { setting?: unknown } | null)?.setting;
    reportOnce(`reporter:config:${String(setting)}`, `${reason}; spans are not exported`, logger);
    return { exporter: createExporter({ kind: 'none' }), description: 'nowhere (invalid reporter settings)' };
  }
}
