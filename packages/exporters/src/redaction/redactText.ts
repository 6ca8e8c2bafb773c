import { redactUrl } from './redactUrl';

const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const TOKEN_SEGMENT = /adapt_[^/?#\s'"]*/gi;

/**
 * Makes free text (an error message from a transport, a collector's answer) safe to log: URLs in it pass
 * through `redactUrl`, stray `adapt_<token>` segments are cut, and each known secret value is replaced.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = String(text);
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; they are not worth hiding in a message either way.
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(TOKEN_SEGMENT, 'adapt_***');
}
