import { describeFaultMatrix, HEADER_SECRET, TIMEOUT_MS, TOKEN } from './faultMatrix';

describeFaultMatrix('Jaeger Thrift over HTTP', (baseUrl) => ({
  kind: 'jaeger',
  endpoint: `${baseUrl}/adapt_${TOKEN}/api/traces`,
  username: 'tracery',
  password: HEADER_SECRET,
  timeoutMs: TIMEOUT_MS,
}));
