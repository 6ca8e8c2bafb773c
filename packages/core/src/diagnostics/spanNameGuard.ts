import { reportOnce } from './reportOnce';

/**
 * Distinct span names one method may produce from a `name` function before `diag` warns (once). A span
 * name is meant to name a kind of operation; one per user id or URL makes backends' indexes explode.
 */
export const SPAN_NAME_CARDINALITY_LIMIT = 100;

/**
 * Wraps a `name` function of the arguments: a function that throws or returns a non-string or empty name
 * gives `fallback` (reported once); the first time the method has produced more than
 * `SPAN_NAME_CARDINALITY_LIMIT` distinct names, `diag` warns once. Memory is bounded: at most that many
 * names are remembered, and none once the warning is given.
 */
export function guardedSpanNamer(
  nameOf: (args: readonly unknown[]) => unknown,
  fallback: string,
  limit = SPAN_NAME_CARDINALITY_LIMIT,
): (args: readonly unknown[]) => string {
  let seen: Set<string> | undefined = new Set();
  return (args) => {
    let name: unknown;
    try {
      name = nameOf(args);
    } catch (error) {
      reportOnce(
        `name:${fallback}`,
        `the name function of ${fallback} threw; the default name is used`,
        error,
      );
      return fallback;
    }
    if (typeof name !== 'string' || name === '') {
      reportOnce(
        `name:${fallback}:type`,
        `the name function of ${fallback} returned no name; the default name is used`,
      );
      return fallback;
    }
    if (seen !== undefined && !seen.has(name)) {
      if (seen.size >= limit) {
        seen = undefined;
        reportOnce(
          `name:${fallback}:cardinality`,
          `${fallback} produced more than ${limit} distinct span names; span names should name a kind of operation, put the varying part in an attribute`,
        );
      } else {
        seen.add(name);
      }
    }
    return name;
  };
}
