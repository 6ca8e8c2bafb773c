/**
 * `text` cut to at most `limit` UTF-16 code units. The cut never splits a surrogate pair (half a pair would
 * reach exporters as U+FFFD), and a cut string is a copy: `slice` alone makes a view that keeps the whole
 * original alive for as long as the span holds the attribute.
 */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  return copyOf(text.slice(0, end));
}

/** A fresh copy, sharing no memory with the string it was sliced from (V8 has no cheaper public way). */
function copyOf(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** 10^limit per limit seen (a handful: limits are read from the environment at decoration time). */
const decimalCeilings = new Map<number, bigint>();
const MAX_CACHED_CEILINGS = 16;

/**
 * A bigint's decimal digits, or, when it has more digits than `limit` (its decimal form would be cut anyway,
 * and writing it costs more than linear time in its size), a note saying so.
 */
export function bigintText(value: bigint, limit: number): string {
  let ceiling = decimalCeilings.get(limit);
  if (ceiling === undefined) {
    ceiling = 10n ** BigInt(limit);
    if (decimalCeilings.size < MAX_CACHED_CEILINGS) decimalCeilings.set(limit, ceiling);
  }
  if (value < ceiling && value > -ceiling) return truncateText(value.toString(), limit);
  return truncateText(`<BigInt of more than ${limit} digits>`, limit);
}

/** `Symbol(description)`, the description cut before it is copied. */
export function symbolText(value: symbol, limit: number): string {
  return truncateText(`Symbol(${truncateText(value.description ?? '', limit)})`, limit);
}
