import { diag } from '@opentelemetry/api';

/** The OTLP endpoint variables OpenTelemetry's exporter reads from `process.env`, with the path it appends. */
const ENDPOINT_VARIABLES: readonly { name: string; appended?: string }[] = [
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', appended: 'v1/traces' },
];

function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** Whether OpenTelemetry's exporter would warn about `value`, quoting it in full (tokens included). */
function isMalformed(value: string, appended: string | undefined): boolean {
  if (!parses(value)) return true;
  return appended !== undefined && !parses(`${value.endsWith('/') ? value : `${value}/`}${appended}`);
}

/**
 * Runs `build` (the construction of an OpenTelemetry OTLP exporter) with the endpoint variables that exporter
 * would reject hidden from `process.env`, then puts them back as they were.
 *
 * Why: the OTLP exporter reads `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` in its
 * constructor even when it is given a URL, and a value it cannot parse is logged whole through `diag`, with
 * the `adapt_<token>` of a Tracing Analysis URL or a `user:password@` in it. `diag` offers no way to filter
 * another library's messages, so the value is kept from it instead. Our config always passes the URL, so the
 * exporter never uses these variables: hiding them changes nothing it sends. Each malformed variable is
 * reported once here, by name only.
 */
export function withoutMalformedEndpointVariables<T>(build: () => T, sendsTo: string): T {
  const hidden: { name: string; value: string }[] = [];
  for (const { name, appended } of ENDPOINT_VARIABLES) {
    const value = process.env[name];
    if (value === undefined || value.trim() === '' || !isMalformed(value, appended)) continue;
    hidden.push({ name, value });
    delete process.env[name];
  }
  try {
    return build();
  } finally {
    for (const { name, value } of hidden) {
      process.env[name] = value;
      diag.warn(
        `@tracery/exporters: ${name} is not a valid URL (value not shown); it is ignored, ` +
          `this OTLP exporter sends to ${sendsTo}`,
      );
    }
  }
}
