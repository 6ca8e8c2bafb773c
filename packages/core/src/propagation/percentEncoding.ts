/** Percent-encoding of header values (Jaeger's `uberctx-*`), bounded and never throwing. */

const PLUS = /\+/g;

/**
 * `encodeURIComponent(text)`, or `undefined` for text that has none: a lone surrogate (half of a UTF-16
 * pair), which makes `encodeURIComponent` throw `URIError: URI malformed`.
 */
export function percentEncode(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a value percent-encoded as an HTTP client encodes a query component: `+` is a space (Go's
 * `url.QueryEscape`, Ruby's `CGI.escape` and Java's `URLEncoder`, which Jaeger's Go, Ruby and Java clients use
 * for baggage headers, write a space so; a literal `+` arrives as `%2B` from every client), then `%XX`
 * sequences as UTF-8. `undefined` when a sequence does not decode.
 */
export function queryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.includes('+') ? text.replace(PLUS, ' ') : text);
  } catch {
    return undefined;
  }
}
