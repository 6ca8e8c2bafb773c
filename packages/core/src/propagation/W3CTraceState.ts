import type { TraceState } from '@opentelemetry/api';

/** Most list members of a `tracestate` (W3C Trace Context). */
export const MAX_TRACESTATE_MEMBERS = 32;
/**
 * Longest combined `tracestate` read: 32 members of a 256-character key, `=` and a 256-character value, the
 * commas between them, and room for the optional white space and empty members the spec allows.
 */
export const MAX_TRACESTATE_LENGTH = 32_768;

/** A key: a lower-case letter or digit, then up to 255 of `a-z 0-9 _ - * / @`. */
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
/** A value: up to 256 printable ASCII characters but `,` and `=`, not ending in a space. */
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

type Member = readonly [key: string, value: string];

/**
 * An immutable W3C `tracestate`, kept as the spec says: at most 32 members, each key and value matching the
 * spec's grammar, the order kept; `set` puts its member first (dropping the right-most one past 32).
 * OpenTelemetry's own `TraceState` silently keeps the valid part of a malformed header and checks keys by an
 * older grammar (rejecting `foo@` or a tenant longer than 241 characters); this one follows the current spec.
 */
export class W3CTraceState implements TraceState {
  private constructor(private readonly members: readonly Member[]) {}

  /**
   * Parses a combined `tracestate` value. Members are separated by commas with optional spaces and tabs around
   * them; empty members are skipped. Any malformed member, or more than 32 members, makes the whole header
   * invalid: `undefined` (the spec's tests drop it whole, not a part of it). A header with no member gives an
   * empty state. A repeated key keeps its first member.
   */
  static parse(header: string): W3CTraceState | undefined {
    if (header.length > MAX_TRACESTATE_LENGTH) return undefined;
    const members: Member[] = [];
    let count = 0;
    let start = 0;
    while (start <= header.length) {
      let end = header.indexOf(',', start);
      if (end === -1) end = header.length;
      const member = trimOws(header, start, end);
      if (member !== '') {
        const equals = member.indexOf('=');
        if (equals === -1) return undefined;
        const key = member.slice(0, equals);
        const value = member.slice(equals + 1);
        if (!KEY.test(key) || !VALUE.test(value)) return undefined;
        if (++count > MAX_TRACESTATE_MEMBERS) return undefined;
        if (!members.some(([known]) => known === key)) members.push([key, value]);
      }
      start = end + 1;
    }
    return new W3CTraceState(members);
  }

  /** Whether the state has no member (an empty `tracestate` is accepted but not sent). */
  isEmpty(): boolean {
    return this.members.length === 0;
  }

  get(key: string): string | undefined {
    return this.members.find(([known]) => known === key)?.[1];
  }

  /** A state with `key=value` first; an invalid key or value is ignored (the same state comes back). */
  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const others = this.members.filter(([known]) => known !== key);
    return new W3CTraceState([[key, value] as const, ...others].slice(0, MAX_TRACESTATE_MEMBERS));
  }

  unset(key: string): TraceState {
    return new W3CTraceState(this.members.filter(([known]) => known !== key));
  }

  serialize(): string {
    return this.members.map(([key, value]) => `${key}=${value}`).join(',');
  }
}

function trimOws(text: string, start: number, end: number): string {
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}
