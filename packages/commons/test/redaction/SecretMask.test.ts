import * as fc from 'fast-check';
import { encodedForms, SecretMask } from '../../src/redaction/SecretMask';

const SECRET = 'SeCrEt/Key+With=Odd&Chars~1';

describe(SecretMask, () => {
  describe('when a secret appears in text in some encoding', () => {
    it.each([
      ['as it is', `denied for ${SECRET} today`],
      [
        'URL-encoded (an error quoting a signed URL)',
        `GET /?SecurityToken=${encodeURIComponent(SECRET)} failed`,
      ],
      [
        'URL-encoded, lower-case hex',
        `token=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}`,
      ],
      ['form-encoded (spaces as +)', `x=${encodeURIComponent('my ' + SECRET).replace(/%20/g, '+')}`],
      ['JSON-escaped', JSON.stringify({ secret: `quote"${SECRET}` })],
      ['in base64 alone', Buffer.from(SECRET).toString('base64')],
      [
        'inside an Authorization: Basic header (base64 of id:secret)',
        `Authorization: Basic ${Buffer.from(`AKID-1234:${SECRET}`).toString('base64')}`,
      ],
      ['in base64url', Buffer.from(`x${SECRET}`).toString('base64url')],
    ])('masks it %s', (_label, text) => {
      const masked = new SecretMask([SECRET]).mask(text);
      expect(masked).toContain('***');
      for (const form of encodedForms(SECRET)) expect(masked).not.toContain(form);
      expect(
        Buffer.from(masked.replace(/^Authorization: Basic /, ''), 'base64').toString('latin1'),
      ).not.toContain(SECRET);
    });
  });

  describe('when no secret is known', () => {
    it('changes nothing and matches nothing', () => {
      const mask = new SecretMask([]);
      expect(mask.empty).toBe(true);
      expect(mask.mask('anything')).toBe('anything');
      expect(mask.matches('anything')).toBe(false);
    });

    it('ignores values shorter than 4 characters and non-strings', () => {
      expect(new SecretMask(['ab', 7, undefined, null]).empty).toBe(true);
    });
  });

  describe('for any secret in any text (property, 100,000 cases)', () => {
    it('leaves no encoded form of it, and no base64 text that decodes to it', () => {
      const secretChars = fc.constantFrom(...'abcXYZ0189+/=_-~!@#$%^&*() "\\\'é漢'.split(''));
      fc.assert(
        fc.property(
          fc.string({ unit: secretChars, minLength: 8, maxLength: 40 }),
          fc.string({ maxLength: 20 }),
          fc.string({ maxLength: 20 }),
          fc.integer({ min: 0, max: 5 }),
          fc.uint8Array({ maxLength: 7 }),
          (secret, before, after, encoding, padding) => {
            const mask = new SecretMask([secret]);
            const texts: Record<number, () => string> = {
              0: () => `${before}${secret}${after}`,
              1: () => `${before}${encodeURIComponent(secret)}${after}`,
              2: () => `${before}${JSON.stringify(secret)}${after}`,
              3: () =>
                Buffer.concat([Buffer.from(padding), Buffer.from(secret), Buffer.from(after)]).toString(
                  'base64',
                ),
              4: () =>
                Buffer.concat([Buffer.from(padding), Buffer.from(secret), Buffer.from(after)]).toString(
                  'base64url',
                ),
              5: () =>
                `${before}${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}${after}`,
            };
            const masked = mask.mask(texts[encoding]());
            // Plain checks (no expect() per form): 100,000 cases must stay quick.
            if (encodedForms(secret).some((form) => masked.includes(form))) return false;
            if (encoding === 3 || encoding === 4) {
              const decoded = Buffer.from(
                masked.replace(/\*/g, 'A'),
                encoding === 3 ? 'base64' : 'base64url',
              );
              if (decoded.includes(Buffer.from(secret))) return false;
            }
            return true;
          },
        ),
        { numRuns: 100_000 },
      );
    });
  });
});
