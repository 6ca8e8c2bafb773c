import { DiagLogLevel } from '@opentelemetry/api';
import { captureDiag, type DiagCapture } from '../../../../test/support/captureDiag';

/** A fresh copy of the settings and reporter modules: "once" is process-wide by design. */
function fresh(): typeof import('../../src/index') {
  let loaded!: typeof import('../../src/index');
  jest.isolateModules(() => {
    loaded = require('../../src/index') as typeof import('../../src/index');
  });
  return loaded;
}

const TIMEOUT = { option: 'flushTimeoutMs', variable: 'TRACERY_X_MS', min: 10, max: 600_000, fallback: 2000 };

describe('integerSetting', () => {
  let capture: DiagCapture;
  beforeEach(() => (capture = captureDiag(DiagLogLevel.WARN)));
  afterEach(() => capture.restore());

  it('takes the option over the variable over the fallback', () => {
    const { createReporter, integerSetting } = fresh();
    const report = createReporter('@tracery/test');
    expect(integerSetting(report, TIMEOUT, 750, { TRACERY_X_MS: '900' })).toBe(750);
    expect(integerSetting(report, TIMEOUT, undefined, { TRACERY_X_MS: ' 900 ' })).toBe(900);
    expect(integerSetting(report, TIMEOUT, undefined, { TRACERY_X_MS: '' })).toBe(2000);
    expect(integerSetting(report, TIMEOUT, undefined, {})).toBe(2000);
    expect(capture.messages).toEqual([]);
  });

  it.each(['0', '0.5', '1e12', '-5', '10s', '0x10', '99999999999999999999'])(
    'refuses %j from the variable: the default, and one line naming the variable and its range',
    (value) => {
      const { createReporter, integerSetting } = fresh();
      const report = createReporter('@tracery/test');
      expect(integerSetting(report, TIMEOUT, undefined, { TRACERY_X_MS: value })).toBe(2000);
      expect(integerSetting(report, TIMEOUT, undefined, { TRACERY_X_MS: value })).toBe(2000);
      expect(capture.messages).toHaveLength(1);
      expect(capture.messages[0].text).toContain('TRACERY_X_MS must be a whole number from 10 to 600000');
      expect(capture.messages[0].text).toContain('using the default 2000');
    },
  );

  it.each([0.5, 5, 1e12, Number.NaN, '750', null])('refuses the option %p, naming the option', (value) => {
    const { createReporter, integerSetting } = fresh();
    expect(integerSetting(createReporter('@tracery/test'), TIMEOUT, value, {})).toBe(2000);
    expect(capture.messages).toHaveLength(1);
    expect(capture.messages[0].text).toContain('flushTimeoutMs must be');
  });

  it('quotes at most 32 characters of a bad value (a secret pasted in the wrong variable stays mostly hidden)', () => {
    const { createReporter, integerSetting } = fresh();
    const pasted = `token-${'x'.repeat(100)}`;
    integerSetting(createReporter('@tracery/test'), TIMEOUT, undefined, { TRACERY_X_MS: pasted });
    expect(capture.messages[0].text).not.toContain(pasted);
    expect(capture.messages[0].text).toContain(`'${pasted.slice(0, 32)}...'`);
  });
});

describe('choiceSetting and booleanSetting', () => {
  let capture: DiagCapture;
  beforeEach(() => (capture = captureDiag(DiagLogLevel.WARN)));
  afterEach(() => capture.restore());

  it('read words case-insensitively from the environment and refuse others once', () => {
    const { choiceSetting, booleanSetting, createReporter } = fresh();
    const report = createReporter('@tracery/test');
    const policy = { variable: 'P', choices: ['parent', 'link'] as const, fallback: 'parent' as const };
    expect(choiceSetting(report, policy, undefined, { P: 'LINK' })).toBe('link');
    expect(choiceSetting(report, policy, undefined, { P: 'child' })).toBe('parent');
    expect(choiceSetting(report, policy, undefined, { P: 'child' })).toBe('parent');
    const flag = { option: 'forceSample', variable: 'F', fallback: false };
    expect(booleanSetting(report, flag, undefined, { F: 'TRUE' })).toBe(true);
    expect(booleanSetting(report, flag, true, { F: 'false' })).toBe(true);
    expect(booleanSetting(report, flag, undefined, { F: 'yes' })).toBe(false);
    expect(capture.messages.map((m) => m.text)).toEqual([
      "@tracery/test: P must be one of 'parent', 'link', got 'child'; using 'parent'",
      "@tracery/test: F must be one of 'true', 'false', got 'yes'; using 'false'",
    ]);
  });
});
