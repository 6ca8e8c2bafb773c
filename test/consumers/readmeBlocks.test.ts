import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/bundleSource';
import { readmeBlocks, readmeFiles, type ReadmeBlock } from '../support/readmeBlocks';

/**
 * What can be checked of the READMEs' code blocks without installing anything: each is of a kind that a
 * test covers (programs: `installLines.test.ts` and `pinnedVersions.test.ts`), excerpts quote their example
 * exactly, and the commands name scripts and files that exist.
 */
const rootScripts = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: object }).scripts,
);

/** The repository paths a command names (arguments under examples/, test/, packages/ or bench/). */
function pathsNamed(command: string): string[] {
  return command
    .split(/\s+/)
    .map((word) => word.replace(/^["']|["')]+$/g, '').replace(/^"?\$\(/, ''))
    .filter((word) => /^(examples|test|packages|bench)\/\S+\.\w+$/.test(word));
}

/** A path as it exists in a fresh clone: `dist/x.js` of an example or package is built from `src/x.ts`. */
function existsInClone(file: string): boolean {
  if (fs.existsSync(path.join(repoRoot, file))) return true;
  const source = file.replace(/\/dist\//, '/src/').replace(/\.js$/, '.ts');
  return source !== file && fs.existsSync(path.join(repoRoot, source));
}

/** The blocks of the READMEs that classify (those that do not fail the first test). */
function classifiedBlocks(): ReadmeBlock[] {
  return readmeFiles().flatMap((readme) => {
    try {
      return readmeBlocks(readme);
    } catch {
      return [];
    }
  });
}

const blocks = classifiedBlocks();
const located = (block: ReadmeBlock): string => `${block.readme}:${block.line}`;

describe('README code blocks', () => {
  it.each(readmeFiles())('are each of a kind a test covers in %s', (readme) => {
    expect(() => readmeBlocks(readme)).not.toThrow();
  });

  it('include one tsconfig.json, the one consumer projects compile with', () => {
    expect(blocks.filter((block) => block.kind === 'tsconfig').map(located)).toEqual([
      expect.stringMatching(/^README\.md:/),
    ]);
  });

  describe('when a block is an excerpt of an example', () => {
    const excerpts = blocks.filter((block) => block.kind === 'excerpt');

    it.each(excerpts.map((block) => [located(block), block] as const))(
      'quotes consecutive lines of its file exactly, but for their indentation (%s)',
      (_where, block) => {
        const trimmed = (text: string): string =>
          text
            .split('\n')
            .map((line) => line.trim())
            .join('\n');
        const file = fs.readFileSync(path.join(repoRoot, (block as { of: string }).of), 'utf8');
        expect(`\n${trimmed(file)}\n`).toContain(`\n${trimmed(block.code)}`);
      },
    );
  });

  describe('when a block is a diff', () => {
    const diffs = blocks.filter((block) => block.kind === 'diff');

    it.each(diffs.map((block) => [located(block), block] as const))(
      'has its + lines in its file and its - lines not (%s)',
      (_where, block) => {
        const file = fs.readFileSync(path.join(repoRoot, (block as { of: string }).of), 'utf8').split('\n');
        const lines = block.code.split('\n');
        const added = lines.filter((line) => line.startsWith('+')).map((line) => line.slice(1));
        const removed = lines.filter((line) => line.startsWith('-')).map((line) => line.slice(1));
        expect(added.length + removed.length).toBeGreaterThan(0);
        expect(added.filter((line) => !file.includes(line))).toEqual([]);
        expect(removed.filter((line) => file.includes(line))).toEqual([]);
      },
    );
  });

  describe('when a block holds commands of this repository', () => {
    const shells = blocks.flatMap((block) =>
      block.kind === 'shell' && block.commands.length > 0 ? [[located(block), block.commands] as const] : [],
    );

    it.each(shells)('names npm scripts that exist (%s)', (_where, commands) => {
      const scripts = commands.flatMap((command) =>
        [...command.matchAll(/\bnpm (?:run (\S+)|(start|test|ci))\b/g)].map((match) => match[1] ?? match[2]),
      );
      expect(scripts.filter((script) => script !== 'ci' && !rootScripts.includes(script))).toEqual([]);
    });

    it.each(shells)('names files that exist in a fresh clone, once built (%s)', (_where, commands) => {
      expect(commands.flatMap(pathsNamed).filter((file) => !existsInClone(file))).toEqual([]);
    });
  });
});
