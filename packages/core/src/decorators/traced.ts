import { reportOnce } from '../diagnostics/reportOnce';
import { isSdkDisabled } from '../environment/sdkDisabled';
import type { TracedOptions } from '../types';
import { detachedSite, methodSite } from './methodSite';
import { traceClass } from './tracedClass';
import { wrapTracedMethod, type AnyFunction } from './tracedMethod';

export { RESULT_ATTRIBUTE } from './tracedMethod';

type AnyConstructor = abstract new (...args: never) => unknown;

/**
 * The decorator `Traced()` returns. The same function works with legacy decorators
 * (`experimentalDecorators`, as inversify and NestJS need) and with TC39 standard decorators (TypeScript 5
 * without `experimentalDecorators`), on a method or on a class; it tells them apart by how it is called.
 */
export interface TracedDecorator {
  /** Legacy (`experimentalDecorators`) method decorator. */
  <T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): TypedPropertyDescriptor<T> | void;
  /** Legacy class decorator. */
  <C extends AnyConstructor>(target: C): C | void;
  /** Standard (TC39) method decorator. */
  // `any` is the constraint of TypeScript's own ClassMethodDecoratorContext.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  <This, M extends (this: This, ...args: any) => any>(
    value: M,
    context: ClassMethodDecoratorContext<This, M>,
  ): M | void;
  /** Standard (TC39) class decorator. */
  <C extends AnyConstructor>(value: C, context: ClassDecoratorContext<C>): C | void;
}

/** The part of a standard decorator context `@Traced` reads. */
interface StandardContext {
  kind: string;
  name: string | symbol | undefined;
  static?: boolean;
  addInitializer?: (initializer: (this: unknown) => void) => void;
}

/**
 * Method or class decorator: each call of the method runs in a span of the global tracer provider
 * (`trace.getTracer('@tracery/core')`), child of the active span. The method keeps its shape: a sync method
 * stays sync and returns the same value; a native promise is returned as the same object and the span ends
 * when it settles; errors reach the caller unchanged and are recorded on the span. A non-native thenable is
 * returned untouched (its `then` is never called) and the span ends when the method returns. A generator
 * method's span covers the iteration. On a class, every own method of the prototype is traced (static ones
 * with `{ static: true }`), except those marked `@Untraced()`; a method's own `@Traced` wins. Methods named
 * in `TRACERY_EXCLUDE` (`Class.method` or `Class.*`, comma-separated) run untraced, decided at their first
 * call.
 *
 * @example
 * class Orders {
 *   @Traced()
 *   async place(@SpanTag('order.id', 'id') order: Order) { ... }
 * }
 */
export function Traced(nameOrOptions?: string | TracedOptions): TracedDecorator {
  const options: TracedOptions =
    typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  const decorator = (target: unknown, keyOrContext?: unknown, descriptor?: PropertyDescriptor): unknown => {
    if (keyOrContext !== null && typeof keyOrContext === 'object') {
      return decorateStandard(target, keyOrContext as StandardContext, options);
    }
    if (keyOrContext === undefined && typeof target === 'function') {
      if (!isSdkDisabled()) traceClass(target as AnyFunction, options);
      return undefined;
    }
    return decorateLegacyMethod(target as object, keyOrContext as string | symbol, descriptor, options);
  };
  return decorator as TracedDecorator;
}

function decorateLegacyMethod(
  target: object,
  propertyKey: string | symbol,
  descriptor: PropertyDescriptor | undefined,
  options: TracedOptions,
): PropertyDescriptor | undefined {
  const original: unknown = descriptor?.value; // no descriptor: used on a field
  if (typeof original !== 'function') {
    reportOnce(
      `traced:${String(propertyKey)}:not-a-method`,
      `@Traced on ${String(propertyKey)}, which is not a method, is ignored`,
    );
    return descriptor;
  }
  if (isSdkDisabled()) return descriptor; // OTEL_SDK_DISABLED=true: the original method, untouched
  const site = methodSite(target, propertyKey);
  site.traced = true;
  const owner = typeof target === 'function' ? target : (target as { constructor?: unknown }).constructor;
  const className = typeof owner === 'function' && owner.name !== '' ? owner.name : 'anonymous';
  (descriptor as PropertyDescriptor).value = wrapTracedMethod(
    original as AnyFunction,
    options,
    site,
    { className, key: propertyKey, holder: target },
    () => className,
  );
  return descriptor;
}

function decorateStandard(value: unknown, context: StandardContext, options: TracedOptions): unknown {
  if (context.kind === 'class') {
    if (typeof value === 'function' && !isSdkDisabled()) traceClass(value as AnyFunction, options);
    return undefined;
  }
  const key = context.name ?? '';
  if (context.kind !== 'method' || typeof value !== 'function') {
    reportOnce(
      `traced:${String(key)}:not-a-method`,
      `@Traced on ${String(key)}, which is not a method (${String(context.kind)}), is ignored`,
    );
    return undefined;
  }
  if (isSdkDisabled()) return undefined;
  const owner: { className?: string; key: string | symbol } = { key };
  if (context.static === true && typeof context.addInitializer === 'function') {
    // Static initializers run once, when the class is defined, with `this` the class.
    context.addInitializer(function (this: unknown) {
      if (owner.className === undefined && typeof this === 'function' && this.name !== '') {
        owner.className = this.name;
      }
    });
  }
  return wrapTracedMethod(value as AnyFunction, options, detachedSite(), owner, classNameOfCall(key));
}

/**
 * The class a standard-decorated method belongs to, found at its first call: the object of `this`'s
 * prototype chain that holds the wrapper (a prototype for an instance method, the class for a static one),
 * else the first one holding the key, else (a private method) the class of `this`. Found once, so a
 * subclass instance calling first still names the class that declared a public method.
 */
function classNameOfCall(key: string | symbol): (self: unknown, wrapper: AnyFunction) => string {
  return (self, wrapper) => {
    let firstHolder: object | undefined;
    let current: unknown = self;
    for (let depth = 0; depth < 1000 && current !== null && current !== undefined; depth++) {
      const candidate = current as object;
      const own = Object.getOwnPropertyDescriptor(candidate, key);
      if (own !== undefined) {
        if (own.value === wrapper) return classNameOf(candidate);
        firstHolder ??= candidate;
      }
      current = Object.getPrototypeOf(candidate);
    }
    if (firstHolder !== undefined) return classNameOf(firstHolder);
    // A private (#) method is on no object: name it after the class of `this` (the instance's class, or
    // the class itself for a static call).
    return self !== null && (typeof self === 'object' || typeof self === 'function')
      ? classNameOf(self)
      : 'anonymous';
  };
}

function classNameOf(holder: object): string {
  const owner = typeof holder === 'function' ? holder : (holder as { constructor?: unknown }).constructor;
  return typeof owner === 'function' && owner.name !== '' ? owner.name : 'anonymous';
}
