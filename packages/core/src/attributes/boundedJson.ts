import { binaryText } from './binaryText';
import { bigintText, truncateText } from './truncateText';

/** Replaces an object seen again on its own ancestor chain. */
const CIRCULAR = '[Circular]';

/** Objects and arrays nested deeper than this are written as `"[Object]"` / `"[Array]"`. */
export const JSON_DEPTH_LIMIT = 10;

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * JSON like `JSON.stringify` (honours `toJSON`, omits `undefined`/functions/symbols in objects, writes them
 * as `null` in arrays), with bounded cost: cycles become `"[Circular]"`, bigints strings, binary values
 * their description (see `binaryText`; a Buffer's `toJSON` would copy every byte), objects and arrays deeper
 * than `JSON_DEPTH_LIMIT` `"[Object]"`/`"[Array]"`. It stops once the output exceeds `lengthLimit` (the
 * caller truncates) or once it has read `lengthLimit` members (array elements and object properties, written
 * or not), so a huge or hostile value costs about the limit, not its size. Throws what a getter, `toJSON` or
 * proxy trap throws.
 */
export function boundedJson(value: unknown, lengthLimit: number): string | undefined {
  const parts: string[] = [];
  const ancestors: object[] = [];
  let length = 0;
  let membersLeft = lengthLimit;

  const write = (text: string): void => {
    parts.push(text);
    length += text.length;
  };
  const isDone = (): boolean => length > lengthLimit || membersLeft <= 0;

  /** What JSON writes for an item once its `toJSON` ran: binary as its description, boxed primitives unwrapped. */
  const plain = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    const binary = binaryText(item, lengthLimit);
    if (binary !== undefined) return binary;
    if (item instanceof String || item instanceof Number || item instanceof Boolean) return item.valueOf();
    return item;
  };

  const prepare = (item: unknown, key: string): unknown => {
    if (item === null || typeof item !== 'object') return item;
    const toJSON = (item as { toJSON?: unknown }).toJSON;
    if (typeof toJSON !== 'function') return plain(item);
    // Before toJSON: a Buffer's would copy every byte into an array of numbers.
    const binary = binaryText(item, lengthLimit);
    return binary !== undefined ? binary : plain(toJSON.call(item, key));
  };

  const isOmitted = (item: unknown): boolean =>
    item === undefined || typeof item === 'function' || typeof item === 'symbol';

  const visitArray = (items: readonly unknown[]): void => {
    const count = items.length;
    write('[');
    for (let i = 0; i < count && !isDone(); i++) {
      membersLeft--;
      if (i > 0) write(',');
      visit(prepare(items[i], String(i)));
    }
    write(']');
  };

  const visitObject = (item: object): void => {
    // Own keys only, as JSON.stringify reads them; for...in would also walk the prototype chain.
    const keys = Reflect.ownKeys(item);
    write('{');
    let first = true;
    for (let i = 0; i < keys.length && !isDone(); i++) {
      const key = keys[i];
      membersLeft--;
      if (typeof key !== 'string' || !propertyIsEnumerable.call(item, key)) continue;
      const member = prepare((item as Record<string, unknown>)[key], key);
      if (isOmitted(member)) continue;
      write(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      visit(member);
    }
    write('}');
  };

  const visit = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
        write(JSON.stringify(truncateText(item, lengthLimit)));
        return;
      case 'number':
        write(Number.isFinite(item) ? String(item) : 'null');
        return;
      case 'boolean':
        write(item ? 'true' : 'false');
        return;
      case 'bigint':
        write(JSON.stringify(bigintText(item, lengthLimit)));
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
    const isArray = Array.isArray(item);
    if (ancestors.includes(item)) {
      write(JSON.stringify(CIRCULAR));
      return;
    }
    if (ancestors.length >= JSON_DEPTH_LIMIT) {
      write(isArray ? '"[Array]"' : '"[Object]"');
      return;
    }
    ancestors.push(item);
    if (isArray) visitArray(item as unknown[]);
    else visitObject(item);
    ancestors.pop();
  };

  const root = prepare(value, '');
  if (isOmitted(root)) return undefined;
  visit(root);
  return parts.join('');
}
