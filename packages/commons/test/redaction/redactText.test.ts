import { redactText } from '../../src/redaction/redactText';

describe(redactText, () => {
  describe('when the text holds URLs', () => {
    it('redacts each URL', () => {
      expect(redactText('POST https://a:b@h/adapt_x/api?k=v failed; retry http://h2/ok')).toBe(
        'POST https://a:***@h/adapt_***/api?k=*** failed; retry http://h2/ok',
      );
    });
  });

  describe('when the text holds a bare token segment', () => {
    it('cuts it', () => {
      expect(redactText('path adapt_abc@def was refused')).toBe('path adapt_*** was refused');
    });
  });

  describe('when secrets are given', () => {
    it('replaces every occurrence, but not values shorter than 4 characters', () => {
      expect(redactText('k=hunter2 and hunter2 again, id=ab', ['hunter2', 'ab'])).toBe(
        'k=*** and *** again, id=ab',
      );
    });
  });
});
