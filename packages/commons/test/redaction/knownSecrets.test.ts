import {
  forgetSecrets,
  knownSecretsMask,
  MAX_KNOWN_SECRETS,
  rememberSecrets,
} from '../../src/redaction/knownSecrets';

const masks = (secret: string): boolean => knownSecretsMask()?.mask(`x ${secret} x`) === 'x *** x';

describe('rememberSecrets', () => {
  afterEach(() => forgetSecrets());

  describe('when nothing was remembered', () => {
    it('gives no mask, so masking costs nothing', () => {
      expect(knownSecretsMask()).toBeUndefined();
    });
  });

  describe('when secrets are remembered', () => {
    it('masks them, and ignores values too short or not strings', () => {
      rememberSecrets(['instance-secret-1', 'abc', 42]);
      expect(masks('instance-secret-1')).toBe(true);
      expect(masks('abc')).toBe(false);
    });
  });

  describe(`when more than ${MAX_KNOWN_SECRETS} are remembered`, () => {
    it('forgets the least recently seen first; one seen again (the same frozen list) stays', () => {
      const instance = Object.freeze(['instance-secret-1']);
      rememberSecrets(instance);
      rememberSecrets(instance); // the same frozen list again: nothing changes
      for (let i = 0; i < MAX_KNOWN_SECRETS - 1; i++) rememberSecrets([`other-secret-${i}`]);
      rememberSecrets(instance); // seen again after others: the most recent now
      rememberSecrets(['one-more-secret']);
      expect(masks('instance-secret-1')).toBe(true);
      expect(masks('other-secret-0')).toBe(false);
      expect(masks('other-secret-1')).toBe(true);
      expect(masks('one-more-secret')).toBe(true);
    });
  });
});
