import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCore, REPO_ROOT, runTsc } from '../support/buildCore';

/**
 * A user's project, outside the repository, that depends on the BUILT @tracery/core (through the
 * workspace's node_modules link): its imports of `@tracery/core`, `@tracery/core/testing` and
 * `@tracery/core/inversify` must compile
 * with the old (`node10`) and the new (`node16`) module resolution, and load at run time.
 */
let project: string;

const USER_CODE = `
import { Traced, Untraced, SpanLink, type TracedOptions } from '@tracery/core';
import { TestTracing, type TraceShape } from '@tracery/core/testing';
import { tracingModule, TracerService } from '@tracery/core/inversify';

const options: TracedOptions = { tags: { 'user.id': 0 } };

@Traced()
export class Users {
  @Traced(options)
  find(@SpanLink() id: string): string {
    return id;
  }
  @Untraced()
  ping(): string {
    return 'pong';
  }
}

export const containerModule: (options: { serviceName: string }) => unknown = tracingModule;
export const sameService: boolean = TracerService === (require('@tracery/core') as { TracerService: unknown }).TracerService;

export function check(): void {
  const tracing: TestTracing = TestTracing.install();
  new Users().find('u-1');
  const shape: TraceShape = { name: 'Users.find', attributes: { 'user.id': 'u-1' } };
  tracing.expectTrace(shape);
  tracing.expectNoOpenSpans();
}
`;

function writeProject(moduleResolution: 'node10' | 'node16'): string {
  const dir = path.join(project, moduleResolution);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), USER_CODE);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: moduleResolution === 'node16' ? 'node16' : 'commonjs',
        moduleResolution,
        strict: true,
        experimentalDecorators: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'out',
      },
      files: ['main.ts'],
    }),
  );
  return dir;
}

beforeAll(() => {
  buildCore();
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-core-user-'));
  // The user's node_modules: the workspace's, where @tracery/core links to packages/core.
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
}, 120_000);
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('@tracery/core package exports', () => {
  describe.each(['node10', 'node16'] as const)(
    'when a user project compiles with moduleResolution %s',
    (resolution) => {
      it('resolves the types of @tracery/core, @tracery/core/testing and @tracery/core/inversify, and the compiled code runs', () => {
        const dir = writeProject(resolution);
        runTsc(['-p', dir]);
        const output = execFileSync(
          process.execPath,
          [
            '-e',
            "const main = require('./out/main.js'); main.check(); console.log(main.sameService ? 'checked' : 'two classes')",
          ],
          { cwd: dir, encoding: 'utf8' },
        );
        expect(output.trim()).toBe('checked');
      }, 120_000);
    },
  );

  describe('when a user requires a path the package does not export', () => {
    it('is refused, so only the public entry points are reachable', () => {
      const run = (request: string) =>
        execFileSync(
          process.execPath,
          [
            '-e',
            `try { require(${JSON.stringify(request)}); console.log('loaded') } catch (e) { console.log(e.code) }`,
          ],
          { cwd: project, encoding: 'utf8' },
        ).trim();
      expect(run('@tracery/core')).toBe('loaded');
      expect(run('@tracery/core/testing')).toBe('loaded');
      expect(run('@tracery/core/inversify')).toBe('loaded');
      expect(run('@tracery/core/dist/decorators/traced')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    });
  });
});
