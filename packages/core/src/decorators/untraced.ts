import { methodSite } from './methodSite';

const untracedMethods = new WeakSet<object>();

/** Whether `@Untraced()` marked this function (standard decorators) . */
export function isMarkedUntraced(fn: unknown): boolean {
  return typeof fn === 'function' && untracedMethods.has(fn);
}

/** The decorator `Untraced()` returns; it works as a legacy and as a standard method decorator. */
export interface UntracedDecorator {
  /** Legacy (`experimentalDecorators`) method decorator. */
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
  /** Standard (TC39) method decorator. */
  // `any` is the constraint of TypeScript's own ClassMethodDecoratorContext.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  <This, M extends (this: This, ...args: any) => any>(
    value: M,
    context: ClassMethodDecoratorContext<This, M>,
  ): void;
}

/**
 * Leaves one method out of a class-level `@Traced()`: the method runs as written, untraced. It changes
 * nothing else. With standard decorators the mark is on the method function, so put `@Untraced()` where
 * the function it sees is the one that ends up on the class (outermost, or below decorators that return
 * the function they get).
 *
 * @example
 * @Traced()
 * class Repository {
 *   find(id: string) { ... }
 *   @Untraced()
 *   healthCheck() { ... }
 * }
 */
export function Untraced(): UntracedDecorator {
  const decorator = (target: unknown, keyOrContext: unknown, descriptor?: PropertyDescriptor): void => {
    if (keyOrContext !== null && typeof keyOrContext === 'object') {
      if (typeof target === 'function') untracedMethods.add(target); // standard: (value, context)
      return;
    }
    if (target !== null && (typeof target === 'object' || typeof target === 'function')) {
      methodSite(target, keyOrContext as string | symbol).untraced = true;
      if (typeof descriptor?.value === 'function') untracedMethods.add(descriptor.value);
    }
  };
  return decorator as UntracedDecorator;
}
