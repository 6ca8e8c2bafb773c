// The wire specifications, read in place from the shared specs folder beside the repository
// (`../shared/specs` from its root), never copied into it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SPECS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'specs');

/** The path of a spec file; throws, naming the folder, when it is not there. */
export function specFile(relative: string): string {
  const file = path.join(SPECS_DIR, relative);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: the wire specifications are expected in ${SPECS_DIR}`);
  }
  return file;
}
