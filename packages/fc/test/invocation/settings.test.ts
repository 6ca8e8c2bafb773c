import { resolveSettings } from '../../src/invocation/settings';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';
import { resetOpenTelemetry } from '../helpers/memoryTracing';

describe('resolveSettings', () => {
  let diagCapture: DiagCapture;
  beforeAll(() => {
    diagCapture = captureDiag();
  });
  afterAll(() => resetOpenTelemetry());

  describe('when nothing is set', () => {
    it('uses the documented defaults', () => {
      expect(resolveSettings({}, {})).toMatchObject({
        fcContextPolicy: 'parent',
        forceSample: false,
        flushTimeoutMs: 2000,
        safetyMarginMs: 200,
        upstreamHeaders: true,
      });
    });
  });

  describe('when environment variables are set', () => {
    const env = {
      TRACERY_FC_CONTEXT_POLICY: 'link',
      TRACERY_FC_FORCE_SAMPLE: 'TRUE',
      TRACERY_FC_FLUSH_TIMEOUT_MS: '750',
      TRACERY_FC_SAFETY_MARGIN_MS: '50',
    };

    it('reads them', () => {
      expect(resolveSettings({}, env)).toMatchObject({
        fcContextPolicy: 'link',
        forceSample: true,
        flushTimeoutMs: 750,
        safetyMarginMs: 50,
      });
    });

    it('lets options win over them', () => {
      expect(
        resolveSettings(
          { fcContextPolicy: 'ignore', forceSample: false, flushTimeoutMs: 10, safetyMarginMs: 0 },
          env,
        ),
      ).toMatchObject({
        fcContextPolicy: 'ignore',
        forceSample: false,
        flushTimeoutMs: 10,
        safetyMarginMs: 0,
      });
    });
  });

  describe('when values are odd', () => {
    it('falls back to the defaults and reports each option or variable once, by name', () => {
      for (let i = 0; i < 3; i++) {
        expect(
          resolveSettings({}, { TRACERY_FC_CONTEXT_POLICY: 'child', TRACERY_FC_FLUSH_TIMEOUT_MS: 'soon' }),
        ).toMatchObject({ fcContextPolicy: 'parent', flushTimeoutMs: 2000 });
        expect(resolveSettings({ flushTimeoutMs: -1, safetyMarginMs: Number.NaN }, {})).toMatchObject({
          flushTimeoutMs: 2000,
          safetyMarginMs: 200,
        });
      }
      expect(diagCapture.including('TRACERY_FC_CONTEXT_POLICY must be')).toHaveLength(1);
      expect(diagCapture.including('TRACERY_FC_FLUSH_TIMEOUT_MS must be')).toHaveLength(1);
      expect(diagCapture.including('flushTimeoutMs must be')).toHaveLength(1);
      expect(diagCapture.including('safetyMarginMs must be')).toHaveLength(1);
    });

    // Each is a value that was accepted before and broke exporting: 0 and 0.5 gave a 1 ms exporter timeout
    // (nothing ever arrived), 1e12 an exporter config error on every invocation and Node's overflow warning.
    it.each(['0', '0.5', '1e12', '-3', '2000ms', ' '.repeat(3) + '9'.repeat(20)])(
      'does not take TRACERY_FC_FLUSH_TIMEOUT_MS=%j: the default, with one line naming the variable',
      (value) => {
        const local = captureDiag();
        try {
          jest.isolateModules(() => {
            const { resolveSettings: fresh } =
              require('../../src/invocation/settings') as typeof import('../../src/invocation/settings');
            expect(fresh({}, { TRACERY_FC_FLUSH_TIMEOUT_MS: value }).flushTimeoutMs).toBe(2000);
            expect(fresh({}, { TRACERY_FC_FLUSH_TIMEOUT_MS: value }).flushTimeoutMs).toBe(2000);
          });
          const lines = local.including('TRACERY_FC_FLUSH_TIMEOUT_MS');
          expect(lines).toHaveLength(1);
          expect(lines[0].text).toContain('using the default 2000');
        } finally {
          local.restore();
        }
      },
    );

    it.each([0.5, 5, 1e12, Number.POSITIVE_INFINITY])('does not take flushTimeoutMs: %p', (value) => {
      jest.isolateModules(() => {
        const { resolveSettings: fresh } =
          require('../../src/invocation/settings') as typeof import('../../src/invocation/settings');
        expect(fresh({ flushTimeoutMs: value }, {}).flushTimeoutMs).toBe(2000);
      });
    });
  });
});
