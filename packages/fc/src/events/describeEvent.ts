import type { FaasTrigger } from '../types';

/** Largest event (in bytes or characters) parsed to look for an HTTP trigger's headers or a trigger's shape. */
const MAX_PARSED_EVENT_SIZE = 1024 * 1024;
/** How far into an event its opening `{` is looked for (past JSON whitespace). */
const MAX_LEADING_WHITESPACE = 16;

/**
 * Keys one of which a recognised event holds: other events are not parsed at all (a native byte scan is cheap).
 * An HTTP-trigger event holds the first; timer and OSS events the others.
 */
const HTTP_MARKER = '"requestContext"';
const OTHER_MARKERS = ['"triggerTime"', '"eventSource"'];
// Buffers made once: `Buffer#includes` of a string would encode it again on every call.
const HTTP_MARKER_BYTES = Buffer.from(HTTP_MARKER);
const OTHER_MARKER_BYTES = OTHER_MARKERS.map((marker) => Buffer.from(marker));

const OTHER: EventDescription = Object.freeze({ trigger: 'other' });

/** What the wrapper learns from an event: its trigger and, for FC 3.0 HTTP-trigger events, the request. */
export interface EventDescription {
  trigger: FaasTrigger;
  headers?: Record<string, unknown>;
  method?: string;
  path?: string;
}

/**
 * Describes an event handler's event. FC hands events over as Buffers; a Buffer or string holding a JSON object
 * is parsed (up to 1 MiB), an object is read as is. FC 3.0 HTTP-trigger events (`requestContext.http`) give
 * `http` and their headers, timer events (`triggerTime` + `triggerName`) `timer`, OSS events `datasource`,
 * anything else `other`. With `httpOnly` (the trigger is known, only an HTTP request's headers are wanted) only
 * HTTP-trigger events are looked for. Events that cannot be one of these (empty, not starting with `{`, without
 * any of their keys) are not parsed. Never throws.
 */
export function describeEvent(event: unknown, httpOnly = false): EventDescription {
  try {
    const parsed = asObject(event, httpOnly);
    if (parsed === undefined) return OTHER;
    const requestContext = parsed.requestContext;
    const http = isObject(requestContext) ? requestContext.http : undefined;
    if (isObject(http) && ('rawPath' in parsed || 'headers' in parsed)) {
      return {
        trigger: 'http',
        headers: isObject(parsed.headers) ? parsed.headers : undefined,
        method: typeof http.method === 'string' ? http.method : undefined,
        path:
          typeof http.path === 'string'
            ? http.path
            : typeof parsed.rawPath === 'string'
              ? parsed.rawPath
              : undefined,
      };
    }
    if (httpOnly) return OTHER;
    if (typeof parsed.triggerTime === 'string' && typeof parsed.triggerName === 'string')
      return { trigger: 'timer' };
    if (Array.isArray(parsed.events)) {
      const first: unknown = parsed.events[0];
      if (isObject(first) && first.eventSource === 'acs:oss') return { trigger: 'datasource' };
    }
    return OTHER;
  } catch {
    return OTHER;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(event: unknown, httpOnly: boolean): Record<string, unknown> | undefined {
  let text: string;
  if (Buffer.isBuffer(event)) {
    if (event.length === 0 || event.length > MAX_PARSED_EVENT_SIZE || !bytesStartObject(event))
      return undefined;
    if (
      !event.includes(HTTP_MARKER_BYTES) &&
      (httpOnly || !OTHER_MARKER_BYTES.some((m) => event.includes(m)))
    ) {
      return undefined;
    }
    text = event.toString('utf8');
  } else if (typeof event === 'string') {
    if (event.length === 0 || event.length > MAX_PARSED_EVENT_SIZE || !textStartsObject(event))
      return undefined;
    if (!event.includes(HTTP_MARKER) && (httpOnly || !OTHER_MARKERS.some((m) => event.includes(m)))) {
      return undefined;
    }
    text = event;
  } else if (isObject(event) && !ArrayBuffer.isView(event)) {
    return event;
  } else {
    return undefined;
  }
  const parsed: unknown = JSON.parse(text);
  return isObject(parsed) ? parsed : undefined;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Whether the bytes open a JSON object: `{` after at most a few whitespace bytes. */
function bytesStartObject(bytes: Buffer): boolean {
  const end = Math.min(bytes.length, MAX_LEADING_WHITESPACE);
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0x7b) return true;
    if (!isJsonWhitespace(bytes[i])) return false;
  }
  return false;
}

function textStartsObject(text: string): boolean {
  const end = Math.min(text.length, MAX_LEADING_WHITESPACE);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7b) return true;
    if (!isJsonWhitespace(code)) return false;
  }
  return false;
}
