import { diag, DiagLogLevel } from '@opentelemetry/api';
import { captureDiag } from '../../../../test/support/captureDiag';

/** A fresh copy of the module (its remembered keys are process-wide by design). */
function freshReporter(): typeof import('../../src/diagnostics/reporter') {
  let loaded!: typeof import('../../src/diagnostics/reporter');
  jest.isolateModules(() => {
    loaded = require('../../src/diagnostics/reporter') as typeof import('../../src/diagnostics/reporter');
  });
  return loaded;
}

describe('createReporter', () => {
  describe('when the same fault repeats', () => {
    it('reports it once per key and scope, prefixed with the scope, with the error described', () => {
      const { createReporter } = freshReporter();
      const capture = captureDiag(DiagLogLevel.ALL);
      try {
        const core = createReporter('@tracery/core');
        const fc = createReporter('@tracery/fc');
        for (let i = 0; i < 3; i++) {
          core.once('tag:x', 'tag x skipped', { error: new TypeError('no') });
          fc.once('tag:x', 'tag x skipped', { level: 'info' });
        }
        expect(capture.messages.filter((m) => m.text.startsWith('@tracery'))).toEqual([
          { level: 'warn', text: '@tracery/core: tag x skipped: TypeError: no' },
          { level: 'info', text: '@tracery/fc: tag x skipped' },
        ]);
      } finally {
        capture.restore();
      }
    });

    it('reports it again once forgotten (after the fault went away)', () => {
      const { createReporter } = freshReporter();
      const capture = captureDiag(DiagLogLevel.WARN);
      try {
        const report = createReporter('@tracery/fc');
        report.once('late', 'late');
        report.forget('late');
        report.once('late', 'late');
        expect(capture.messages).toHaveLength(2);
      } finally {
        capture.restore();
      }
    });
  });

  describe('when there are more distinct keys than it remembers', () => {
    it('stops reporting new ones after one line saying so: memory and log stay bounded', () => {
      const { createReporter, MAX_REPORT_KEYS } = freshReporter();
      const capture = captureDiag(DiagLogLevel.WARN);
      try {
        const report = createReporter('@tracery/core');
        for (let i = 0; i < MAX_REPORT_KEYS + 500; i++) report.once(`site:${i}`, `fault ${i}`);
        expect(capture.messages).toHaveLength(MAX_REPORT_KEYS + 1);
        expect(capture.messages[MAX_REPORT_KEYS].text).toContain('further ones are not reported');
      } finally {
        capture.restore();
      }
    });
  });

  describe('when the diag logger throws', () => {
    it('throws nothing into the caller', () => {
      const { createReporter } = freshReporter();
      const explode = (): never => {
        throw new Error('logger broke');
      };
      diag.setLogger(
        { error: explode, warn: explode, info: explode, debug: explode, verbose: explode },
        { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
      );
      try {
        const report = createReporter('@tracery/core');
        expect(() => report.once('k', 'm')).not.toThrow();
        expect(() => report.now('warn', 'm')).not.toThrow();
      } finally {
        diag.disable();
      }
    });
  });
});

describe('describeError', () => {
  it('gives name and message of errors (of this realm or another), strings as they are, else only the type', () => {
    const { describeError } = freshReporter();
    expect(describeError(new RangeError('bad'))).toBe('RangeError: bad');
    expect(describeError({ name: 'VmError', message: 'from a vm context' })).toBe(
      'VmError: from a vm context',
    );
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ secret: 'tok' })).toBe('object');
    expect(describeError(42)).toBe('number');
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    expect(describeError(hostile)).toBe('unknown error');
  });
});
