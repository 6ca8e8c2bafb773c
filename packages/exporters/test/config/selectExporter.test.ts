import { ExporterConfigError, selectExporter, tracingAnalysis } from '@tracery/exporters';
import { ConsoleWaterfallExporter } from '../../src/console/ConsoleWaterfallExporter';
import { FanOutSpanExporter } from '../../src/fanout/FanOutSpanExporter';
import { MemorySpanExporter } from '../../src/memory/MemorySpanExporter';
import { thrownBy } from '../support/thrownBy';

const PROFILES = {
  development: { kind: 'console' as const },
  test: { kind: 'memory' as const },
  production: [{ kind: 'memory' as const }, { kind: 'none' as const }],
};

describe(selectExporter, () => {
  const saved = { TRACERY_ENV: process.env.TRACERY_ENV, NODE_ENV: process.env.NODE_ENV };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  describe('when the environment name is given', () => {
    it('builds that profile', () => {
      expect(selectExporter(PROFILES, 'development')).toBeInstanceOf(ConsoleWaterfallExporter);
      expect(selectExporter(PROFILES, 'test')).toBeInstanceOf(MemorySpanExporter);
    });

    it('builds a fan-out for a profile that lists several', () => {
      expect(selectExporter(PROFILES, 'production')).toBeInstanceOf(FanOutSpanExporter);
    });
  });

  describe('when the name is left out', () => {
    it('reads TRACERY_ENV first', () => {
      process.env.TRACERY_ENV = 'test';
      process.env.NODE_ENV = 'development';
      expect(selectExporter(PROFILES)).toBeInstanceOf(MemorySpanExporter);
    });

    it('falls back to NODE_ENV', () => {
      delete process.env.TRACERY_ENV;
      process.env.NODE_ENV = 'development';
      expect(selectExporter(PROFILES)).toBeInstanceOf(ConsoleWaterfallExporter);
    });

    it("uses a 'default' profile when neither is set", () => {
      delete process.env.TRACERY_ENV;
      delete process.env.NODE_ENV;
      expect(selectExporter({ ...PROFILES, default: { kind: 'memory' } })).toBeInstanceOf(MemorySpanExporter);
    });

    it('throws listing the known names when neither is set and there is no default', () => {
      delete process.env.TRACERY_ENV;
      delete process.env.NODE_ENV;
      expect(thrownBy<ExporterConfigError>(() => selectExporter(PROFILES)).message).toMatch(
        /no environment name \(set TRACERY_ENV or NODE_ENV.*known: development, test, production/,
      );
    });
  });

  describe('when the environment has no profile', () => {
    it('throws naming it and listing the known names', () => {
      const error = thrownBy<ExporterConfigError>(() => selectExporter(PROFILES, 'staging'));
      expect(error).toBeInstanceOf(ExporterConfigError);
      expect(error.message).toMatch(
        /no exporter profile for environment 'staging' \(known: development, test, production\)/,
      );
    });

    it('does not take inherited object keys for profiles', () => {
      expect(() => selectExporter(PROFILES, 'toString')).toThrow(
        /no exporter profile for environment 'toString'/,
      );
    });
  });

  describe('when the chosen profile is invalid', () => {
    it('throws naming the profile and the setting, without the secret', () => {
      const error = thrownBy<ExporterConfigError>(() =>
        selectExporter(
          {
            development: { kind: 'console' },
            production: [
              { kind: 'none' },
              {
                kind: 'otlp',
                url: 'http://collector/v1/traces',
                headers: { Authorization: 'Bearer t0kenSECRET\n' },
              },
            ],
          },
          'production',
        ),
      );
      expect(error.message).toMatch(
        /profiles\.production\[1\]\.headers\['Authorization'\]: contains control characters/,
      );
      expect(error.message).not.toContain('t0kenSECRET');
    });

    it('does not validate or build the other profiles', () => {
      expect(
        selectExporter(
          { development: { kind: 'memory' }, production: { kind: 'otlp', url: 'bad' } },
          'development',
        ),
      ).toBeInstanceOf(MemorySpanExporter);
    });
  });

  describe('when a profile is a function', () => {
    it("calls only the chosen one, so another environment's missing secret does not matter", () => {
      const production = jest.fn(() =>
        tracingAnalysis({ region: 'cn-hangzhou', token: '', protocol: 'jaeger' }),
      );
      expect(
        selectExporter({ development: () => ({ kind: 'memory' }), production }, 'development'),
      ).toBeInstanceOf(MemorySpanExporter);
      expect(production).not.toHaveBeenCalled();
    });

    it("reports the chosen function's invalid config as for a plain profile", () => {
      const error = thrownBy<ExporterConfigError>(() =>
        selectExporter({ production: () => ({ kind: 'otlp', url: 'bad' }) }, 'production'),
      );
      expect(error).toBeInstanceOf(ExporterConfigError);
      expect(error.message).toMatch(/profiles\.production\.url/);
    });
  });
});
