import { redactUrl } from '@tracery/exporters';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
const ADAPT_TOKEN = /adapt_[^/\s?#'"]*/gi;

/**
 * A message safe to log: every URL in it goes through `redactUrl` (token path segments, userinfo, query values),
 * any remaining `adapt_<token>` is masked, and each of `secrets` is replaced. Cut to 300 characters.
 */
export function redactMessage(message: string, secrets: readonly string[] = []): string {
  let text = message;
  for (const secret of secrets) {
    if (secret.length >= 4) text = text.split(secret).join('***');
  }
  text = text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(ADAPT_TOKEN, 'adapt_***');
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** `error.message` (or the value as text) without throwing, for diagnostics. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
