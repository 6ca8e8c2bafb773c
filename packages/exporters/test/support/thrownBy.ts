/** What `fn` throws; fails the test when it returns instead. */
export function thrownBy<E = Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a throw');
}
