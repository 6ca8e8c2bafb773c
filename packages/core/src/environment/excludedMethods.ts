import type { Env } from '@tracery/commons';
/** The environment variable listing the methods that run untraced. */
export const EXCLUDE_ENV = 'TRACERY_EXCLUDE';

let parsedFrom: string | undefined;
let parsed: ReadonlySet<string> = new Set();

/**
 * Whether `TRACERY_EXCLUDE` (comma-separated `Class.method` or `Class.*`, blanks ignored) names the method
 * `className.methodName`. The variable is parsed again only when its value changes.
 */
export function isExcluded(className: string, methodName: string, env: Env = process.env): boolean {
  const value = env[EXCLUDE_ENV] ?? '';
  if (value === '') return false;
  if (value !== parsedFrom) {
    parsed = new Set(
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    );
    parsedFrom = value;
  }
  return parsed.has(`${className}.${methodName}`) || parsed.has(`${className}.*`);
}
