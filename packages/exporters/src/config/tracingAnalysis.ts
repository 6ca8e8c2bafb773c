import type { ExporterConfig, TracingAnalysisOptions } from '../types';
import { ExporterConfigError } from './ExporterConfigError';

const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;
// Tokens look like `<id>@<hex>_<id>@<hex>`; anything outside this set cannot be put in a URL path as is.
const TOKEN = /^[A-Za-z0-9@_.~-]{8,256}$/;

/**
 * The exporter config for Alibaba Cloud Tracing Analysis: Jaeger Thrift over HTTP to
 * `http://tracing-analysis-dc-<region>[-internal].aliyuncs.com/adapt_<token>/api/traces`, or OTLP/HTTP
 * protobuf to `.../adapt_<token>/api/otlp/traces`. The token is a secret and never shows in messages.
 *
 * @throws ExporterConfigError when the region or the token has unexpected characters.
 * @example
 * createExporter(tracingAnalysis({ region: 'cn-hangzhou', token: process.env.TA_TOKEN!, protocol: 'jaeger', internal: true }));
 */
export function tracingAnalysis(options: TracingAnalysisOptions): ExporterConfig {
  const { region, token, protocol, internal = false } = options ?? ({} as TracingAnalysisOptions);
  if (typeof region !== 'string' || !REGION.test(region)) {
    const got = typeof region === 'string' ? `'${region.slice(0, 40)}'` : `a ${typeof region}`;
    throw new ExporterConfigError(
      'tracingAnalysis.region',
      `must be a region id such as 'cn-hangzhou', got ${got}`,
    );
  }
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    const got = typeof token === 'string' ? `${token.length} characters` : `a ${typeof token}`;
    throw new ExporterConfigError(
      'tracingAnalysis.token',
      `must be 8 to 256 of A-Z a-z 0-9 @ _ . ~ - (got ${got}, value not shown)`,
    );
  }
  if (protocol !== 'jaeger' && protocol !== 'otlp') {
    throw new ExporterConfigError(
      'tracingAnalysis.protocol',
      `must be 'jaeger' or 'otlp', got '${String(protocol)}'`,
    );
  }
  if (typeof internal !== 'boolean') {
    throw new ExporterConfigError('tracingAnalysis.internal', `must be a boolean, got a ${typeof internal}`);
  }
  const base = `http://tracing-analysis-dc-${region}${internal ? '-internal' : ''}.aliyuncs.com/adapt_${token}`;
  return protocol === 'jaeger'
    ? { kind: 'jaeger', endpoint: `${base}/api/traces` }
    : { kind: 'otlp', url: `${base}/api/otlp/traces`, protocol: 'http/protobuf' };
}
