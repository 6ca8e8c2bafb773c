import type { FaasTrigger } from '../types';

/** Largest event (in bytes or characters) parsed to look for an HTTP trigger's headers or a trigger's shape. */
const MAX_PARSED_EVENT_SIZE = 1024 * 1024;

/** Keys one of which a recognised event holds: other events are not parsed at all (a native byte scan is cheap). */
const SHAPE_MARKERS = ['"requestContext"', '"triggerTime"', '"eventSource"'];

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
 * anything else `other`. Never throws.
 */
export function describeEvent(event: unknown): EventDescription {
  try {
    const parsed = asObject(event);
    if (parsed === undefined) return { trigger: 'other' };
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
    if (typeof parsed.triggerTime === 'string' && typeof parsed.triggerName === 'string')
      return { trigger: 'timer' };
    if (Array.isArray(parsed.events)) {
      const first: unknown = parsed.events[0];
      if (isObject(first) && first.eventSource === 'acs:oss') return { trigger: 'datasource' };
    }
    return { trigger: 'other' };
  } catch {
    return { trigger: 'other' };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(event: unknown): Record<string, unknown> | undefined {
  let text: string | undefined;
  if (Buffer.isBuffer(event)) {
    if (event.length > MAX_PARSED_EVENT_SIZE || !startsLikeObject(event.subarray(0, 16).toString('latin1'))) {
      return undefined;
    }
    if (!SHAPE_MARKERS.some((marker) => event.includes(marker))) return undefined;
    text = event.toString('utf8');
  } else if (typeof event === 'string') {
    if (event.length > MAX_PARSED_EVENT_SIZE || !startsLikeObject(event.slice(0, 16))) return undefined;
    if (!SHAPE_MARKERS.some((marker) => event.includes(marker))) return undefined;
    text = event;
  } else if (isObject(event) && !ArrayBuffer.isView(event)) {
    return event;
  } else {
    return undefined;
  }
  const parsed: unknown = JSON.parse(text);
  return isObject(parsed) ? parsed : undefined;
}

function startsLikeObject(head: string): boolean {
  return head.trimStart().startsWith('{');
}
