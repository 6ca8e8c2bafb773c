import { describeFaultMatrix, HEADER_SECRET, TIMEOUT_MS, TOKEN } from './faultMatrix';

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  describeFaultMatrix(`OTLP ${protocol}`, (baseUrl) => ({
    kind: 'otlp',
    protocol,
    url: `${baseUrl}/adapt_${TOKEN}/api/otlp/traces`,
    headers: { Authentication: HEADER_SECRET },
    compression: protocol === 'http/json' ? 'gzip' : 'none',
    timeoutMs: TIMEOUT_MS,
  }));
}
