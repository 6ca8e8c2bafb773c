import {
  containerPackagesOf,
  filesLoadedBy,
  packagesOf,
  traceryModulesOf,
} from '../../../../test/support/modulesLoaded';

/** What `body` loads in a fresh process: the installed packages, and Tracery's source files (`fc/...`). */
function loadedBy(body: string): { packages: string[]; sources: string[]; files: string[] } {
  const files = filesLoadedBy(body);
  return { packages: packagesOf(files), sources: traceryModulesOf(files), files };
}

/** A collector on 127.0.0.1 answering 202, in the child; `endpoint` is its URL. */
const COLLECTOR = `
  const http = require('node:http');
  let batches = 0;
  const collector = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { batches += 1; res.statusCode = 202; res.end(); });
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = 'http://127.0.0.1:' + collector.address().port + '/api/traces';
`;

describe('@tracery/fc', () => {
  describe('when a fresh process requires it and wraps a handler', () => {
    it('loads no OpenTelemetry SDK, no @tracery/core and no exporter: only the API and its own modules', () => {
      const { packages, sources } = loadedBy(`
        const { tracedHandler } = require('@tracery/fc');
        exports.handler = tracedHandler(async () => 'ok');
      `);
      expect(packages).toEqual(['@opentelemetry/api']);
      expect(sources.filter((source) => !/^(fc|commons)\//.test(source))).toEqual([]);
    });
  });

  describe('when FC does not trace the calls', () => {
    it('loads none of them either, however many calls', () => {
      const { packages, sources } = loadedBy(`
        const { tracedHandler, invokeLocal } = require('@tracery/fc');
        const handler = tracedHandler(async () => 'ok');
        for (let i = 0; i < 3; i++) if ((await invokeLocal(handler)) !== 'ok') throw new Error('result');
      `);
      expect(packages).toEqual(['@opentelemetry/api']);
      expect(sources.filter((source) => !/^(fc|commons)\//.test(source))).toEqual([]);
    });
  });

  describe('when the first call is traced', () => {
    let loaded: { packages: string[]; sources: string[]; files: string[] };

    beforeAll(() => {
      loaded = loadedBy(`
        ${COLLECTOR}
        const { tracedHandler, invokeLocal } = require('@tracery/fc');
        const handler = tracedHandler(async () => 'ok');
        const result = await invokeLocal(handler, { tracing: { jaegerEndpoint: endpoint } });
        collector.close();
        if (result !== 'ok' || batches !== 1) throw new Error('result ' + result + ', batches ' + batches);
      `);
    }, 60_000);

    it('loads the SDK then, and sends the span', () => {
      expect(loaded.packages).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node']));
      expect(loaded.sources).toEqual(
        expect.arrayContaining(['core/provider/index', 'exporters/jaeger/index']),
      );
    });

    it('loads of @tracery/core only its provider entry: no decorator, TracerService or propagator', () => {
      const coreSources = loaded.sources.filter((source) => source.startsWith('core/'));
      expect(coreSources).not.toContain('core/index');
      expect(
        coreSources.filter((source) => /^core\/(decorators|service|span|attributes|links)\//.test(source)),
      ).toEqual([]);
      expect(coreSources.filter((source) => /Propagator$/.test(source))).toEqual([]);
    });

    it('loads no inversify, @inversifyjs part or reflect-metadata (it uses no container)', () => {
      expect(containerPackagesOf(loaded.files)).toEqual([]);
    });

    it('loads the Jaeger exporter alone: no other exporter kind, no OTLP package', () => {
      const exporterSources = loaded.sources.filter((source) => source.startsWith('exporters/'));
      expect(
        exporterSources.filter((source) => !/^exporters\/(jaeger|export|transport)\//.test(source)),
      ).toEqual([]);
      expect(loaded.packages.filter((name) => /otlp|metrics|zipkin/.test(name))).toEqual([]);
    });
  });
});
