// A fan-out (Jaeger to the faulty collector, OTLP to a healthy one): each destination has a pipeline of its own, so
// the healthy one gets every span whatever the other's collector does, and only the faulty one reports.
import { startFakeOtlpCollector, type FakeOtlpCollector } from '../support/fakeOtlpCollector';
import { describeFaultMatrix, HEADER_SECRET, TIMEOUT_MS, TOKEN } from './faultMatrix';

let healthy: FakeOtlpCollector;
beforeAll(async () => (healthy = await startFakeOtlpCollector()));
afterAll(() => healthy.close());

describeFaultMatrix(
  'A fan-out of Jaeger (faulty) and OTLP (healthy)',
  (baseUrl) => [
    { kind: 'jaeger', endpoint: `${baseUrl}/adapt_${TOKEN}/api/traces`, timeoutMs: TIMEOUT_MS },
    { kind: 'otlp', url: healthy.url, headers: { Authentication: HEADER_SECRET }, timeoutMs: TIMEOUT_MS },
  ],
  { otherDestinations: 1 },
);
