import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './bundleSource';

/**
 * The code blocks of the repository's READMEs, and what each is: every fenced block with a language is one
 * of these, and the tests in `test/consumers` check each kind.
 *
 * - `program`: a `ts` or `js` block, a whole program (or module) a user can paste into a file. Compiled and
 *   run in consumer projects built from the packed packages. The words after the language say which module
 *   system it is written for (`esm`, `cjs`; a `ts` block without one is compiled and run in both, a `js`
 *   block is `cjs` when it calls `require`, else `esm`) and `standard-decorators` (compiled without
 *   `experimentalDecorators`).
 * - `tsconfig`: the `json tsconfig.json` block of the root README, the configuration every consumer project
 *   compiles the programs with.
 * - `excerpt`: a `ts`/`js` block preceded by `<!-- excerpt: path -->`: consecutive lines of that file of an
 *   example (which `test/examples` builds and runs), quoted exactly.
 * - `diff`: a `diff` block preceded by `<!-- diff: path -->`: its `+` lines are in that file, its `-` lines not.
 * - `shell`: an `sh` block: `npm install` lines (run literally against the packed packages by
 *   `test/consumers/installLines.test.ts`) and commands of this repository (their scripts and files exist).
 * - `text`: output shown as it looks (`text`), never run.
 */
export type ReadmeBlock =
  | ({
      kind: 'program';
      language: 'ts' | 'js';
      modules: ModuleSystem[];
      standardDecorators: boolean;
    } & Located)
  | ({ kind: 'tsconfig' } & Located)
  | ({ kind: 'excerpt' | 'diff'; of: string } & Located)
  | ({ kind: 'shell'; installLines: string[]; commands: string[] } & Located)
  | ({ kind: 'text' } & Located);

export type ModuleSystem = 'cjs' | 'esm';

interface Located {
  /** The README, relative to the repository root (`packages/core/README.md`). */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's text, without the fences, ending in a newline. */
  code: string;
  /** A short, unique, file-name-safe name: `packages-core-README-25`. */
  id: string;
}

/** Every README the repository publishes or shows: the root one, each package's and each example's. */
export function readmeFiles(): string[] {
  const inDir = (dir: string): string[] =>
    fs
      .readdirSync(path.join(repoRoot, dir), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && fs.existsSync(path.join(repoRoot, dir, entry.name, 'README.md')),
      )
      .map((entry) => `${dir}/${entry.name}/README.md`)
      .sort();
  return ['README.md', ...inDir('packages'), ...inDir('examples')];
}

/** Thrown for a block this file cannot classify: a new kind of block needs a test before it lands. */
export class UnclassifiedBlockError extends Error {}

/** The fenced blocks of one README, classified. */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = fs.readFileSync(path.join(repoRoot, readme), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(.*)$/.exec(lines[index]);
    if (fence === null) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
    if (end < 0) throw new UnclassifiedBlockError(`${readme}:${index + 1}: a fence that is never closed`);
    const [language = '', ...words] = fence[1].trim().split(/\s+/).filter(Boolean);
    const located: Located = {
      readme,
      line: index + 1,
      code: lines.slice(index + 1, end).join('\n') + '\n',
      id: `${readme.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${index + 1}`,
    };
    const marker = /^<!-- (excerpt|diff): (\S+) -->$/.exec(lines[index - 1] ?? '');
    blocks.push(classify(language, words, marker, located));
    index = end;
  }
  return blocks;
}

function classify(
  language: string,
  words: string[],
  marker: RegExpExecArray | null,
  located: Located,
): ReadmeBlock {
  const where = `${located.readme}:${located.line}`;
  if (marker !== null) {
    const kind = marker[1] as 'excerpt' | 'diff';
    if ((kind === 'diff') !== (language === 'diff')) {
      throw new UnclassifiedBlockError(`${where}: a ${kind} marker on a ${language || 'plain'} block`);
    }
    return { kind, of: path.posix.join(path.posix.dirname(located.readme), marker[2]), ...located };
  }
  switch (language) {
    case 'ts':
    case 'js': {
      const claimed = words.filter((word): word is ModuleSystem => word === 'cjs' || word === 'esm');
      const unknown = words.filter((word) => !['cjs', 'esm', 'standard-decorators'].includes(word));
      if (unknown.length > 0)
        throw new UnclassifiedBlockError(`${where}: unknown words ${unknown.join(' ')}`);
      const inferred: ModuleSystem[] =
        language === 'ts' ? ['cjs', 'esm'] : /\brequire\(/.test(located.code) ? ['cjs'] : ['esm'];
      return {
        kind: 'program',
        language,
        modules: claimed.length > 0 ? claimed : inferred,
        standardDecorators: words.includes('standard-decorators'),
        ...located,
      };
    }
    case 'json':
      if (words.join(' ') === 'tsconfig.json') return { kind: 'tsconfig', ...located };
      break;
    case 'sh': {
      const lines = joinContinuations(located.code);
      return {
        kind: 'shell',
        installLines: lines.filter((line) => /^npm install\b/.test(line)),
        commands: lines.filter((line) => !/^npm install\b/.test(line)),
        ...located,
      };
    }
    case 'text':
      return { kind: 'text', ...located };
  }
  throw new UnclassifiedBlockError(
    `${where}: a \`${language || '(no language)'}\` block is not one of the kinds`,
  );
}

/** The commands of a shell block: continuation lines joined, comments and blank lines dropped. */
function joinContinuations(code: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const raw of code.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (line.endsWith('\\')) {
      current += line.slice(0, -1).trim() + ' ';
      continue;
    }
    current += line.trim();
    if (current !== '') commands.push(current);
    current = '';
  }
  return commands;
}

/** Every block of every README. */
export function allReadmeBlocks(): ReadmeBlock[] {
  return readmeFiles().flatMap(readmeBlocks);
}

/** The one `tsconfig.json` block (in the root README): the configuration consumer projects compile with. */
export function readmeTsconfig(): Record<string, unknown> {
  const blocks = allReadmeBlocks().filter((block) => block.kind === 'tsconfig');
  if (blocks.length !== 1) throw new Error(`expected one tsconfig.json block, found ${blocks.length}`);
  return JSON.parse(blocks[0].code) as Record<string, unknown>;
}
