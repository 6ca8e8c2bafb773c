import { reportOnce } from '../diagnostics/reportOnce';
import type { TracedOptions } from '../types';
import { methodSite } from './methodSite';
import {
  displayName,
  isTracedWrapper,
  offerClassName,
  wrapTracedMethod,
  type AnyFunction,
} from './tracedMethod';
import { isMarkedUntraced } from './untraced';

/** Own keys of every class constructor that are not static methods. */
const CONSTRUCTOR_KEYS = new Set<string | symbol>(['length', 'name', 'prototype', 'caller', 'arguments']);

/**
 * `@Traced` on a class: wraps every own method of its prototype (not the constructor, not getters or
 * setters), and the static methods when `options.static` is `true`. Methods marked `@Untraced()` are left
 * alone, and so are methods with their own `@Traced` (their options win; they are told the class name).
 */
export function traceClass(constructor: AnyFunction, options: TracedOptions): void {
  const className = constructor.name !== '' ? constructor.name : 'anonymous';
  // A class-level string name replaces the class part of each method's span name.
  const namePrefix = typeof options.name === 'string' && options.name !== '' ? options.name : undefined;
  const methodOptions: TracedOptions = {
    ...options,
    name: typeof options.name === 'function' ? options.name : undefined,
  };
  const prototype = (constructor as { prototype?: unknown }).prototype;
  if (prototype !== null && typeof prototype === 'object') {
    traceMembers(prototype, className, namePrefix, methodOptions, (key) => key === 'constructor');
  }
  if (options.static === true)
    traceMembers(constructor, className, namePrefix, methodOptions, (key) => CONSTRUCTOR_KEYS.has(key));
}

function traceMembers(
  holder: object,
  className: string,
  namePrefix: string | undefined,
  options: TracedOptions,
  skip: (key: string | symbol) => boolean,
): void {
  for (const key of Reflect.ownKeys(holder)) {
    if (skip(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor === undefined || typeof descriptor.value !== 'function') continue; // getters, setters, fields
    const method: unknown = descriptor.value;
    if (isTracedWrapper(method)) {
      offerClassName(method, className);
      continue;
    }
    const site = methodSite(holder, key);
    if (site.traced || site.untraced || isMarkedUntraced(method)) continue;
    if (descriptor.configurable !== true && descriptor.writable !== true) {
      reportOnce(
        `traced:${className}:${String(key)}:frozen`,
        `${className}.${String(key)} cannot be replaced; it runs untraced`,
      );
      continue;
    }
    const wrapper = wrapTracedMethod(
      method as AnyFunction,
      namePrefix === undefined ? options : { ...options, name: displayName(namePrefix, key) },
      site,
      { className, key, holder },
      () => className,
    );
    Object.defineProperty(holder, key, { ...descriptor, value: wrapper });
  }
}
