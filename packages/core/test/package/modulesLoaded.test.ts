import {
  builtinModulesLoadedBy,
  containerPackagesOf,
  filesLoadedBy,
  packagesOf,
} from '../../../../test/support/modulesLoaded';

describe('@tracery/core entry points', () => {
  describe('when a fresh process requires the main entry and traces a decorated method', () => {
    let loaded: string[];

    beforeAll(() => {
      loaded = filesLoadedBy(`
        const { Traced, TracerService } = require('@tracery/core');
        const tracing = new TracerService({ serviceName: 'orders', spanProcessors: [] });
        class Orders { place() { return 'placed'; } }
        Traced()(Orders.prototype, 'place', Object.getOwnPropertyDescriptor(Orders.prototype, 'place'));
        new Orders().place();
        await tracing.shutdown();
      `);
    }, 60_000);

    it('loads OpenTelemetry and no inversify, @inversifyjs part or reflect-metadata', () => {
      expect(packagesOf(loaded)).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node']));
      expect(containerPackagesOf(loaded)).toEqual([]);
    });
  });

  describe.each(['@tracery/core', '@tracery/core/provider'])('when a fresh process requires %s', (entry) => {
    it('loads no https or TLS (the remote sampler loads them at its first fetch from an https endpoint)', () => {
      const builtins = builtinModulesLoadedBy(`require('${entry}');`);
      expect(builtins.filter((name) => /^(https|tls|_tls_wrap)$/.test(name))).toEqual([]);
    }, 60_000);
  });

  it('sees https and TLS where they are loaded (the control of the check above)', () => {
    expect(builtinModulesLoadedBy(`require('node:https');`)).toEqual(
      expect.arrayContaining(['https', 'tls']),
    );
  }, 60_000);

  describe('when a fresh process requires @tracery/core/inversify', () => {
    it('loads inversify there, and only there', () => {
      const loaded = filesLoadedBy(`require('@tracery/core/inversify');`);
      expect(containerPackagesOf(loaded)).toEqual(expect.arrayContaining(['inversify', 'reflect-metadata']));
    }, 60_000);
  });
});
