import { containerPackagesOf, filesLoadedBy, packagesOf } from '../../../../test/support/modulesLoaded';

describe('@tracery/fc', () => {
  describe('when a fresh process requires it, wraps a handler and runs a traced invocation', () => {
    let loaded: string[];

    beforeAll(() => {
      // A collector on 127.0.0.1 that acknowledges every batch, so the invocation's flush completes.
      loaded = filesLoadedBy(`
        const http = require('node:http');
        let batches = 0;
        const collector = http.createServer((req, res) => {
          req.resume();
          req.on('end', () => { batches += 1; res.statusCode = 202; res.end(); });
        });
        await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
        const { tracedHandler, invokeLocal } = require('@tracery/fc');
        const handler = tracedHandler(async () => 'ok');
        const jaegerEndpoint = 'http://127.0.0.1:' + collector.address().port + '/api/traces';
        const result = await invokeLocal(handler, { tracing: { jaegerEndpoint } });
        collector.close();
        if (result !== 'ok' || batches !== 1) throw new Error('invocation: ' + result + ', batches: ' + batches);
      `);
    }, 60_000);

    it('loads the OpenTelemetry SDK and no inversify, @inversifyjs part or reflect-metadata', () => {
      expect(packagesOf(loaded)).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node']));
      expect(containerPackagesOf(loaded)).toEqual([]);
    });
  });
});
