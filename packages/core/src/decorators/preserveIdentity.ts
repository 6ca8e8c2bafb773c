type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Function properties that belong to the wrapper itself and are not copied from the original. */
const OWN_FUNCTION_PROPERTIES = new Set<string | symbol>([
  'length',
  'name',
  'prototype',
  'arguments',
  'caller',
]);

/** Keeps what other code may read from the method: `name`, `length`, reflect metadata, own properties. */
export function preserveIdentity(wrapper: AnyFunction, original: AnyFunction): void {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  for (const key of Reflect.ownKeys(original)) {
    if (OWN_FUNCTION_PROPERTIES.has(key)) continue;
    const property = Object.getOwnPropertyDescriptor(original, key);
    if (property !== undefined) Object.defineProperty(wrapper, key, property);
  }
  const metadata = Reflect as unknown as {
    getMetadataKeys?: (target: object) => unknown[];
    getMetadata?: (key: unknown, target: object) => unknown;
    defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  };
  if (
    typeof metadata.getMetadataKeys === 'function' &&
    typeof metadata.getMetadata === 'function' &&
    typeof metadata.defineMetadata === 'function'
  ) {
    for (const key of metadata.getMetadataKeys(original)) {
      metadata.defineMetadata(key, metadata.getMetadata(key, original), wrapper);
    }
  }
}
