import { redactUrl } from './redactUrl';
import { SecretMask } from './SecretMask';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const TOKEN_SEGMENT = /adapt_[^/?#\s'"]*/gi;

/**
 * Makes free text (an error message from a transport, a collector's answer, a user's error) safe to log: each
 * of `secrets` is replaced by `***` in every encoded form (`SecretMask`), URLs in it pass through `redactUrl`, stray
 * `adapt_<token>` segments are cut, and the result is cut to `maxLength` characters (default: not cut).
 */
export function redactText(
  text: string,
  secrets: readonly string[] | SecretMask = [],
  maxLength = Infinity,
): string {
  const mask = secrets instanceof SecretMask ? secrets : new SecretMask(secrets);
  let out = mask.mask(String(text));
  out = out.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(TOKEN_SEGMENT, 'adapt_***');
  return out.length > maxLength ? `${out.slice(0, maxLength)}...` : out;
}
