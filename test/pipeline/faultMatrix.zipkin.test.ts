import { describeFaultMatrix, HEADER_SECRET, TIMEOUT_MS, TOKEN } from './faultMatrix';

describeFaultMatrix('Zipkin v2', (baseUrl) => ({
  kind: 'zipkin',
  url: `${baseUrl}/adapt_${TOKEN}/api/v2/spans`,
  headers: { 'X-Api-Key': HEADER_SECRET },
  timeoutMs: TIMEOUT_MS,
}));
