import * as path from 'node:path';
import { buildCore, runTsc } from '../test/support/buildCore';

/**
 * Jest only transpiles this folder; this is the real compile: `tsc -p` on this folder's tsconfig (TC39
 * decorators, no `experimentalDecorators`), against the BUILT @tracery/core as a user gets it.
 */
describe('the standard-decorator test project', () => {
  describe('when compiled without experimentalDecorators', () => {
    it('type-checks every use of @Traced, @Untraced and the options', () => {
      buildCore();
      expect(() => runTsc(['-p', path.join(__dirname, 'tsconfig.json')])).not.toThrow();
    }, 120_000);
  });
});
