const REDACTED = '***';

/**
 * Returns `url` with its secret parts replaced by `***`: `adapt_<token>` path segments (Alibaba Cloud Tracing
 * Analysis), the userinfo password (or a lone userinfo name, often a token), every query value and the
 * fragment. Works on strings that are not valid URLs too, so it is safe to call on any user input.
 *
 * @example
 * redactUrl('http://tracing-analysis-dc-hz.aliyuncs.com/adapt_abc@123_def/api/traces');
 * // 'http://tracing-analysis-dc-hz.aliyuncs.com/adapt_***\/api/traces'
 */
export function redactUrl(url: string): string {
  return String(url)
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@` : `${scheme}${REDACTED}@`;
    })
    .replace(/(^|\/)adapt_[^/?#]*/gi, `$1adapt_${REDACTED}`)
    .replace(/([?&][^=&#]*)=[^&#]*/g, `$1=${REDACTED}`)
    .replace(/#.*$/s, `#${REDACTED}`);
}
