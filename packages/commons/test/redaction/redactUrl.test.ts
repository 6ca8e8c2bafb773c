import { redactUrl } from '../../src/redaction/redactUrl';

describe(redactUrl, () => {
  describe('when the URL has a Tracing Analysis token in its path', () => {
    it('replaces the adapt_<token> segment', () => {
      expect(redactUrl('http://tracing-analysis-dc-hz.aliyuncs.com/adapt_abc@123_def@456/api/traces')).toBe(
        'http://tracing-analysis-dc-hz.aliyuncs.com/adapt_***/api/traces',
      );
    });

    it('also when the token is the last segment or followed by a query', () => {
      expect(redactUrl('http://h/adapt_abc')).toBe('http://h/adapt_***');
      expect(redactUrl('http://h/adapt_abc?x=1')).toBe('http://h/adapt_***?x=***');
    });
  });

  describe('when the URL has userinfo', () => {
    it('keeps the user name and replaces the password', () => {
      expect(redactUrl('https://alice:s3cret@collector:14268/api/traces')).toBe(
        'https://alice:***@collector:14268/api/traces',
      );
    });

    it('replaces a lone user name (often a token)', () => {
      expect(redactUrl('https://tok3n@collector/api/traces')).toBe('https://***@collector/api/traces');
    });

    it('handles a password containing @', () => {
      expect(redactUrl('http://u:p@ss@host/x')).toBe('http://u:***@host/x');
    });
  });

  describe('when the URL has a query or a fragment', () => {
    it('replaces every query value and the fragment', () => {
      expect(redactUrl('http://h/p?token=abc&debug=1&flag#frag')).toBe(
        'http://h/p?token=***&debug=***&flag#***',
      );
    });
  });

  describe('when nothing is secret', () => {
    it('returns the URL unchanged', () => {
      expect(redactUrl('http://localhost:4318/v1/traces')).toBe('http://localhost:4318/v1/traces');
    });
  });

  describe('when the input is not a valid URL', () => {
    it('still redacts what it recognises and never throws', () => {
      expect(redactUrl('not a url /adapt_secret/ ?k=v')).toBe('not a url /adapt_***/ ?k=***');
      expect(() => redactUrl(undefined as unknown as string)).not.toThrow();
    });
  });
});
