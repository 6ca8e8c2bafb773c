import { redactUrl } from './redactUrl';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const TOKEN_SEGMENT = /adapt_[^/?#\s'"]*/gi;
/** Known secrets shorter than this are not masked: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Makes free text (an error message from a transport, a collector's answer, a user's error) safe to log: each
 * known secret value is replaced by `***`, URLs in it pass through `redactUrl`, stray `adapt_<token>` segments are
 * cut, and the result is cut to `maxLength` characters (default: not cut). Never throws.
 */
export function redactText(text: string, secrets: readonly string[] = [], maxLength = Infinity): string {
  let out = String(text);
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('***');
  }
  out = out.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(TOKEN_SEGMENT, 'adapt_***');
  return out.length > maxLength ? `${out.slice(0, maxLength)}...` : out;
}
