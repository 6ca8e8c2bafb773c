import 'reflect-metadata';
import { Container } from 'inversify';
import { tracingModule } from '@tracery/core/inversify';
import { selectExporter, tracingAnalysis, type ExporterProfiles } from '@tracery/exporters';
import { OrderRepository } from './OrderRepository';
import { OrderService } from './OrderService';

/**
 * Where spans go, per environment (`TRACERY_ENV`, else `NODE_ENV`). Read lazily: only the chosen profile's
 * settings must be present.
 */
export function exporterProfiles(env: NodeJS.ProcessEnv = process.env): ExporterProfiles {
  return {
    development: { kind: 'console', attributes: true },
    test: { kind: 'memory' },
    staging: { kind: 'jaeger', endpoint: env.JAEGER_ENDPOINT ?? 'http://localhost:14268/api/traces' },
    // a function: called only when production is the chosen profile, so the token need not exist elsewhere
    production: () =>
      tracingAnalysis({
        region: env.TRACING_ANALYSIS_REGION ?? '',
        token: env.TRACING_ANALYSIS_TOKEN ?? '',
        protocol: 'otlp',
        internal: env.TRACING_ANALYSIS_INTERNAL === 'true',
      }),
  };
}

/** The application's container: tracing first, then the traced classes. */
export function createContainer(): Container {
  const container = new Container();
  container.load(
    tracingModule({
      serviceName: 'order-service',
      resource: {
        'deployment.environment.name': process.env.TRACERY_ENV ?? process.env.NODE_ENV ?? 'development',
      },
      exporter: selectExporter(exporterProfiles()),
    }),
  );
  container.bind(OrderRepository).toSelf().inSingletonScope();
  container.bind(OrderService).toSelf().inSingletonScope();
  return container;
}
