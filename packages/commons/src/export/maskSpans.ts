import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { SecretMask } from '../redaction/SecretMask';

function maskValue(value: AttributeValue | undefined, mask: SecretMask): AttributeValue | undefined {
  if (typeof value === 'string') return mask.matches(value) ? mask.mask(value) : value;
  if (Array.isArray(value) && value.some((item) => typeof item === 'string' && mask.matches(item))) {
    return value.map((item) => (typeof item === 'string' ? mask.mask(item) : item)) as AttributeValue;
  }
  return value;
}

/** `attributes` with every secret masked, or the same object when none was there. */
function maskAttributes(attributes: Attributes | undefined, mask: SecretMask): Attributes | undefined {
  if (attributes === undefined) return attributes;
  let masked: Attributes | undefined;
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const value = attributes[key];
    const next = maskValue(value, mask);
    const keyMatches = mask.matches(key);
    if (next !== value || keyMatches) {
      masked ??= { ...attributes };
      if (keyMatches) {
        delete masked[key];
        masked[mask.mask(key)] = next;
      } else masked[key] = next;
    }
  }
  return masked ?? attributes;
}

/** `events` with every secret masked, or the same array when none was there. */
function maskEvents(events: TimedEvent[], mask: SecretMask): TimedEvent[] {
  let masked: TimedEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const eventName = mask.matches(event.name) ? mask.mask(event.name) : event.name;
    const eventAttributes = maskAttributes(event.attributes, mask);
    if (eventName === event.name && eventAttributes === event.attributes) continue;
    (masked ??= events.slice())[i] = { ...event, name: eventName, attributes: eventAttributes };
  }
  return masked ?? events;
}

/** `links` with every secret masked in their attributes, or the same array when none was there. */
function maskLinks(links: Link[], mask: SecretMask): Link[] {
  let masked: Link[] | undefined;
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const linkAttributes = maskAttributes(link.attributes, mask);
    if (linkAttributes !== link.attributes)
      (masked ??= links.slice())[i] = { ...link, attributes: linkAttributes };
  }
  return masked ?? links;
}

/**
 * The span as an exporter must see it: its name, attributes, events (names and attributes: `exception.type`,
 * `exception.message`, `exception.stacktrace`), status message and link attributes with every known secret masked.
 * The span itself is not changed (it may be shared with other processors): a span with nothing to mask is returned
 * as it is (nothing allocated), one with something is a copy that reads everything else from the original.
 */
function maskSpan(span: ReadableSpan, mask: SecretMask): ReadableSpan {
  const name = mask.matches(span.name) ? mask.mask(span.name) : span.name;
  const attributes = maskAttributes(span.attributes, mask)!;
  const events = span.events.length === 0 ? span.events : maskEvents(span.events, mask);
  const message = span.status.message;
  const status =
    typeof message === 'string' && mask.matches(message)
      ? { ...span.status, message: mask.mask(message) }
      : span.status;
  const links = span.links.length === 0 ? span.links : maskLinks(span.links, mask);
  if (
    name === span.name &&
    attributes === span.attributes &&
    events === span.events &&
    status === span.status &&
    links === span.links
  ) {
    return span;
  }
  const copy = Object.create(span) as { -readonly [K in keyof ReadableSpan]: ReadableSpan[K] };
  Object.defineProperties(copy, {
    name: { value: name, enumerable: true },
    attributes: { value: attributes, enumerable: true },
    events: { value: events, enumerable: true },
    status: { value: status, enumerable: true },
    links: { value: links, enumerable: true },
  });
  return copy;
}

/** `spans` with every secret of `mask` masked (see `maskSpan`). */
export function maskSpans(spans: ReadableSpan[], mask: SecretMask): ReadableSpan[] {
  let result: ReadableSpan[] | undefined;
  for (let i = 0; i < spans.length; i++) {
    const masked = maskSpan(spans[i], mask);
    if (masked !== spans[i]) (result ??= spans.slice())[i] = masked;
  }
  return result ?? spans;
}
