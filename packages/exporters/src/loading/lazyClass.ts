type AnyConstructor = new (...args: unknown[]) => object;

/**
 * A stand-in for a class whose module is loaded only when the class is first used: `new`, `instanceof`,
 * `extends`, its name and static members all reach the real class, which `load` (a `require` a bundler can see)
 * brings in at that moment. Importing the package so loads none of the classes' modules, nor what they require.
 */
export function lazyClass<C extends abstract new (...args: never[]) => object>(load: () => C): C {
  let loaded: AnyConstructor | undefined;
  const real = (): AnyConstructor => (loaded ??= load() as unknown as AnyConstructor);
  // A plain function as the target: its `prototype` is writable, so the proxy may answer the real class's
  // (a class as target would pin `prototype` to its own by the proxy invariants).
  const target = function lazilyLoadedClass() {} as unknown as AnyConstructor;
  const stand: AnyConstructor = new Proxy(target, {
    construct: (_target, args, newTarget) =>
      Reflect.construct(real(), args, newTarget === stand ? real() : newTarget) as object,
    apply: (_target, thisArg, args) => Reflect.apply(real(), thisArg, args) as unknown,
    get: (_target, key) => Reflect.get(real(), key) as unknown,
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  return stand as unknown as C;
}
