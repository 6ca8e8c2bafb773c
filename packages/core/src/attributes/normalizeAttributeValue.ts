import type { AttributeValue } from '@opentelemetry/api';
import { types } from 'node:util';
import { integerSetting, type Env } from '@tracery/commons';
import { coreReporter, reportOnce } from '../diagnostics/reportOnce';
import { binaryText } from './binaryText';
import { boundedJson } from './boundedJson';
import { bigintText, symbolText, truncateText } from './truncateText';

/** Length limit used when `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` is not set (or not a positive integer). */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;

/**
 * Highest length limit honoured. An attribute holds at most this many UTF-16 code units of text, which
 * JSON-escaped (6 bytes per code unit at worst) stay under 400 KiB, so a single value always fits the
 * exporters' 1 MiB default payload with room for the rest of the span.
 */
export const MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT = 65_536;

/** Elements kept from an array recorded as an attribute array. */
export const ARRAY_ATTRIBUTE_ELEMENT_LIMIT = 128;

/**
 * Reads `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`: a positive integer, else `DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT` (a
 * malformed value reported once, naming the variable); one above `MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT` is lowered to
 * it (reported once through `diag`).
 */
export function attributeValueLengthLimit(env: Env = process.env): number {
  const limit = integerSetting(
    coreReporter,
    {
      variable: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      fallback: DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    },
    undefined,
    env,
  );
  if (limit > MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT) {
    reportOnce(
      'attributes:lengthLimit',
      `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=${limit} is above ${MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT}; ` +
        `tag values are cut at ${MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT} characters so a span stays exportable`,
    );
    return MAX_ATTRIBUTE_VALUE_LENGTH_LIMIT;
  }
  return limit;
}

/**
 * Turns any value into an OpenTelemetry attribute value, or `undefined` when nothing should be recorded,
 * reading no more of it than the limit needs:
 * - strings, numbers and booleans as they are (strings cut to `lengthLimit`); `undefined`, `null` and
 *   functions omitted; bigint and symbol as strings; a Date as its ISO string;
 * - Buffer, typed arrays, DataView, ArrayBuffer, SharedArrayBuffer as `<Kind N bytes: hex...>` of their
 *   first bytes (see `binaryText`);
 * - an array whose first `ARRAY_ATTRIBUTE_ELEMENT_LIMIT` elements are all strings, all numbers or all
 *   booleans as an array of those elements, the strings sharing one budget of `lengthLimit` characters;
 * - anything else as JSON cut to `lengthLimit` (see `boundedJson`).
 * May throw (throwing getters, revoked proxies): the caller decides what a failure means.
 */
export function normalizeAttributeValue(value: unknown, lengthLimit: number): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncateText(value, lengthLimit);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return bigintText(value, lengthLimit);
    case 'symbol':
      return symbolText(value, lengthLimit);
    case 'undefined':
    case 'function':
      return undefined;
  }
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const homogeneous = primitiveArray(value, lengthLimit);
    if (homogeneous !== undefined) return homogeneous;
    return truncatedJson(value, lengthLimit);
  }
  const binary = binaryText(value, lengthLimit);
  if (binary !== undefined) return binary;
  if (types.isDate(value)) {
    const time = Date.prototype.getTime.call(value);
    return Number.isNaN(time)
      ? 'Invalid Date'
      : truncateText(Date.prototype.toISOString.call(value), lengthLimit);
  }
  return truncatedJson(value, lengthLimit);
}

function truncatedJson(value: unknown, lengthLimit: number): string | undefined {
  const json = boundedJson(value, lengthLimit);
  return json === undefined ? undefined : truncateText(json, lengthLimit);
}

/**
 * The array's first `ARRAY_ATTRIBUTE_ELEMENT_LIMIT` elements as an attribute array when they are all strings,
 * or all numbers, or all booleans. Strings share one budget of `lengthLimit` characters, so the whole
 * attribute stays within the limit: the string that crosses it is cut, later ones are dropped.
 */
function primitiveArray(values: readonly unknown[], lengthLimit: number): AttributeValue | undefined {
  const count = Math.min(values.length, ARRAY_ATTRIBUTE_ELEMENT_LIMIT);
  if (count === 0) return [] as string[];
  const type = typeof values[0];
  if (type === 'number' || type === 'boolean') {
    const kept: unknown[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const element = values[i];
      if (typeof element !== type) return undefined;
      kept[i] = element;
    }
    return kept as AttributeValue;
  }
  if (type !== 'string') return undefined;
  const kept: string[] = [];
  let room = lengthLimit;
  for (let i = 0; i < count; i++) {
    const element = values[i];
    if (typeof element !== 'string') return undefined;
    if (room > 0) {
      const cut = truncateText(element, room);
      kept.push(cut);
      room = cut.length < element.length ? 0 : room - cut.length;
    }
  }
  return kept;
}
