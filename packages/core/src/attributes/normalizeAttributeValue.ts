import type { AttributeValue } from '@opentelemetry/api';

/** Length limit used when `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` is not set (or not a positive integer). */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;

/** Replaces an object seen again on its own ancestor chain when it is serialised to JSON. */
const CIRCULAR = '[Circular]';

/**
 * Reads `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`: a positive integer, else `DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT`.
 */
export function attributeValueLengthLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT;
  const limit = Number(raw);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT;
}

/**
 * Turns any value into an OpenTelemetry attribute value, or `undefined` when nothing should be recorded:
 * strings, numbers and booleans as they are; `undefined`/`null` (and functions) omitted; bigint and symbol
 * as strings; a Date as its ISO string; an array whose elements are all strings, all numbers or all
 * booleans as an array; anything else as JSON (cycles written as `"[Circular]"`, bigints as strings).
 * Strings longer than `lengthLimit` are truncated. May throw (throwing getters, revoked proxies): the
 * caller decides what a failure means.
 */
export function normalizeAttributeValue(value: unknown, lengthLimit: number): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncate(value, lengthLimit);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
    case 'symbol':
      return truncate(value.toString(), lengthLimit);
    case 'undefined':
    case 'function':
      return undefined;
  }
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) {
    return truncate(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString(), lengthLimit);
  }
  if (Array.isArray(value)) {
    const homogeneous = primitiveArray(value, lengthLimit);
    if (homogeneous !== undefined) return homogeneous;
  }
  const json = boundedJson(value, lengthLimit);
  return json === undefined ? undefined : truncate(json, lengthLimit);
}

function truncate(value: string, lengthLimit: number): string {
  return value.length > lengthLimit ? value.slice(0, lengthLimit) : value;
}

/** The array as an attribute array when all its elements are strings, or all numbers, or all booleans. */
function primitiveArray(values: unknown[], lengthLimit: number): AttributeValue | undefined {
  if (values.length === 0) return [] as string[];
  const type = typeof values[0];
  if (type !== 'string' && type !== 'number' && type !== 'boolean') return undefined;
  const copy: unknown[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const element = values[i];
    if (typeof element !== type) return undefined;
    copy[i] = type === 'string' ? truncate(element as string, lengthLimit) : element;
  }
  return copy as AttributeValue;
}

/**
 * JSON like `JSON.stringify` (honours `toJSON`, omits `undefined`/functions/symbols in objects, writes them
 * as `null` in arrays), except that cycles become `"[Circular]"`, bigints become strings, and it stops once
 * the output exceeds `lengthLimit` (the caller truncates), so a huge value costs about the limit, not its size.
 */
function boundedJson(value: unknown, lengthLimit: number): string | undefined {
  const parts: string[] = [];
  const ancestors: object[] = [];
  let length = 0;

  const write = (text: string): void => {
    parts.push(text);
    length += text.length;
  };

  const prepare = (item: unknown, key: string): unknown => {
    if (item instanceof String || item instanceof Number || item instanceof Boolean) return item.valueOf();
    if (item !== null && typeof item === 'object') {
      const toJSON = (item as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return toJSON.call(item, key);
    }
    return item;
  };

  const isOmitted = (item: unknown): boolean =>
    item === undefined || typeof item === 'function' || typeof item === 'symbol';

  const visit = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
        write(JSON.stringify(truncate(item, lengthLimit)));
        return;
      case 'number':
        write(Number.isFinite(item) ? String(item) : 'null');
        return;
      case 'boolean':
        write(item ? 'true' : 'false');
        return;
      case 'bigint':
        write(JSON.stringify(item.toString()));
        return;
      case 'object':
        if (item === null) {
          write('null');
          return;
        }
        break;
      default:
        write('null');
        return;
    }
    if (ancestors.includes(item)) {
      write(JSON.stringify(CIRCULAR));
      return;
    }
    ancestors.push(item);
    if (Array.isArray(item)) {
      write('[');
      for (let i = 0; i < item.length && length <= lengthLimit; i++) {
        if (i > 0) write(',');
        visit(prepare(item[i], String(i)));
      }
      write(']');
    } else {
      write('{');
      let first = true;
      for (const key in item) {
        if (length > lengthLimit) break;
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        const member = prepare((item as Record<string, unknown>)[key], key);
        if (isOmitted(member)) continue;
        write(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
        first = false;
        visit(member);
      }
      write('}');
    }
    ancestors.pop();
  };

  const root = prepare(value, '');
  if (isOmitted(root)) return undefined;
  visit(root);
  return parts.join('');
}
