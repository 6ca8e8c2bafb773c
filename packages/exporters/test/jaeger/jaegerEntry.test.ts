import * as path from 'node:path';
import { build } from 'esbuild';
import * as exporters from '@tracery/exporters';
import * as jaeger from '@tracery/exporters/jaeger';
import { startFakeJaegerCollector } from '../../../../test/support/fakeJaegerCollector';
import { exportOnce } from '../support/exportOnce';
import { recordSampleTrace } from '../support/sampleTrace';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The source files (of this package) and the packages an esbuild bundle of `program` holds. */
async function bundledBy(program: string): Promise<{ sources: string[]; packages: string[] }> {
  const result = await build({
    stdin: { contents: program, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // @tracery/* resolved to the package sources, as Jest resolves them.
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const sources = inputs
    .map((input) => /packages\/exporters\/src\/(.+)\.ts$/.exec(input)?.[1])
    .filter((source): source is string => source !== undefined)
    .sort();
  const packages = [
    ...new Set(
      inputs
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    ),
  ].sort();
  return { sources, packages };
}

describe('@tracery/exporters/jaeger', () => {
  describe('when a program imports the Jaeger exporter from it', () => {
    let bundled: { sources: string[]; packages: string[] };

    beforeAll(async () => {
      bundled = await bundledBy(`
        const { JaegerHttpExporter, ExportPipeline } = require('@tracery/exporters/jaeger');
        module.exports = new ExportPipeline(
          new JaegerHttpExporter({ kind: 'jaeger', endpoint: 'http://127.0.0.1:14268/api/traces' }),
        );
      `);
    });

    it('bundles the Jaeger exporter and no other exporter kind', () => {
      expect(bundled.sources).toEqual(expect.arrayContaining(['jaeger/JaegerHttpExporter']));
      expect(
        bundled.sources.filter((source) => /^(otlp|zipkin|console|memory|fanout|none|config)\//.test(source)),
      ).toEqual([]);
    });

    it('bundles no OTLP code and no metrics SDK', () => {
      expect(bundled.packages.filter((name) => /otlp|metrics|protobuf/.test(name))).toEqual([]);
    });
  });

  describe("when the main entry's exporters are bundled instead", () => {
    it('bundles every kind (the kind is chosen at run time), which is what the subpath avoids', async () => {
      const { sources } = await bundledBy(`
        const { createExporter } = require('@tracery/exporters');
        module.exports = createExporter({ kind: 'jaeger', endpoint: 'http://127.0.0.1:14268/api/traces' });
      `);
      expect(sources).toEqual(expect.arrayContaining(['otlp/OtlpHttpExporter', 'zipkin/ZipkinExporter']));
    });
  });

  describe('when its exporter sends', () => {
    it("sends as the main entry's does, and each is an instance of the other's class", async () => {
      const collector = await startFakeJaegerCollector();
      try {
        const exporter = new jaeger.JaegerHttpExporter({ kind: 'jaeger', endpoint: collector.url });
        const result = await exportOnce(exporter, recordSampleTrace('from-subpath'));
        await exporter.shutdown();
        expect(result.code).toBe(0);
        expect(collector.batches.map((batch) => batch.serviceName)).toEqual(['from-subpath']);
        expect(collector.spans()).toHaveLength(3);
        expect(exporter).toBeInstanceOf(exporters.JaegerHttpExporter);
        const fromMain = exporters.createExporter({ kind: 'jaeger', endpoint: collector.url });
        expect(fromMain).toBeInstanceOf(jaeger.JaegerHttpExporter);
        await fromMain.shutdown();
      } finally {
        await collector.close();
      }
    });
  });
});
