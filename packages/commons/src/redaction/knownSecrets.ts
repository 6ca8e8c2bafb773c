import { MIN_SECRET_LENGTH, SecretMask } from './SecretMask';

/** Most secrets remembered; beyond it the least recently seen one is forgotten. */
export const MAX_KNOWN_SECRETS = 64;

const known = new Map<string, true>();
let mask: SecretMask | undefined;
let stale = false;
/** The frozen list of the last call, while no other call came since: its values are the most recent already. */
let lastRemembered: readonly unknown[] | undefined;

/**
 * Makes `values` known secrets of this process (FC's credentials, a collector token): every span exported from now
 * on has them masked, in every encoded form, wherever they appear (see `maskSpans`). Values shorter than 4
 * characters and non-strings are ignored. Cheap when the values are already known (as FC's are, invocation after
 * invocation; nothing at all for the same frozen array as the call before); at most 64 are kept, the least recently
 * seen forgotten first.
 */
export function rememberSecrets(values: Iterable<unknown>): void {
  // The same frozen list again (an FC instance's secrets, invocation after invocation): nothing to do.
  if (values === lastRemembered) return;
  lastRemembered = Array.isArray(values) && Object.isFrozen(values) ? values : undefined;
  for (const value of values) {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
    if (known.has(value)) {
      known.delete(value);
      known.set(value, true);
      continue;
    }
    known.set(value, true);
    stale = true;
    if (known.size > MAX_KNOWN_SECRETS) known.delete(known.keys().next().value as string);
  }
}

/** The mask of the secrets known now, or `undefined` when none is known (then masking costs nothing). */
export function knownSecretsMask(): SecretMask | undefined {
  if (known.size === 0) return undefined;
  if (stale || mask === undefined) {
    mask = new SecretMask(known.keys());
    stale = false;
  }
  return mask;
}

/** Forgets every known secret (tests). */
export function forgetSecrets(): void {
  lastRemembered = undefined;
  known.clear();
  mask = undefined;
  stale = false;
}
