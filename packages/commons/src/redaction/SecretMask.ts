/** Known secrets shorter than this are not masked: they would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 4;
const MASK = '***';
/** Longest text remembered as holding no secret, in characters. */
const MAX_CLEAN_TEXT_LENGTH = 128;
/** Most texts remembered as holding no secret. */
const MAX_CLEAN_TEXTS = 1024;

/**
 * The base64 text of `bytes` wherever they sit in a longer base64 string: the characters that depend on `bytes`
 * alone, for each of the three alignments (the bytes starting 0, 1 or 2 bytes into a 3-byte group). A secret inside
 * `Authorization: Basic base64(id:secret)` is found this way, whatever comes before it.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    const core = encoded.slice(start, end);
    if (core.length >= MIN_SECRET_LENGTH) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/**
 * Every form a secret takes in text that reaches a span or a log: as it is, URL-encoded (either hex case, and with
 * `+` for spaces as forms encode them), JSON-escaped, and base64 / base64url at any alignment.
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  try {
    const url = encodeURIComponent(secret);
    forms.add(url);
    forms.add(url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(url.replace(/%20/g, '+'));
  } catch {
    // a lone surrogate: no URL form
  }
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const form of base64Forms(Buffer.from(secret, 'utf8'))) forms.add(form);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Masks a set of secrets, in every encoded form, in any text. Built once for a set of secrets (their forms, longest
 * first, so a longer form is masked whole before a shorter one could cut into it); `mask` is then one native
 * search per form over the text.
 */
export class SecretMask {
  private readonly forms: readonly string[];
  /** Length of the shortest form: a shorter text holds none. */
  private readonly shortest: number;
  /**
   * Short texts seen to hold no form, span names and attribute keys above all (the same ones, export after
   * export): answered without a search. At most `MAX_CLEAN_TEXTS`, forgotten all at once beyond.
   */
  private readonly clean = new Set<string>();

  constructor(secrets: Iterable<unknown>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) {
        for (const form of encodedForms(secret)) forms.add(form);
      }
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.shortest = this.forms.length === 0 ? Infinity : this.forms[this.forms.length - 1].length;
  }

  /** Whether there is nothing to mask. */
  get empty(): boolean {
    return this.forms.length === 0;
  }

  /** `text` with every form of every secret replaced by `***`. */
  mask(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  }

  /** Whether `text` holds a form of a secret. */
  matches(text: string): boolean {
    if (text.length < this.shortest) return false;
    const remembered = text.length <= MAX_CLEAN_TEXT_LENGTH;
    if (remembered && this.clean.has(text)) return false;
    for (const form of this.forms) if (text.includes(form)) return true;
    if (remembered) {
      if (this.clean.size >= MAX_CLEAN_TEXTS) this.clean.clear();
      this.clean.add(text);
    }
    return false;
  }
}
