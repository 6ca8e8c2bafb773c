import {
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { reportOnce } from '../diagnostics/reportOnce';
import { percentEncode } from './percentEncoding';

/**
 * Baggage metadata is written as it is (OpenTelemetry does not encode it): only visible ASCII, spaces and tabs
 * but the comma that separates members, or the header would be invalid or split.
 */
const SAFE_METADATA = /^[\t\x20-\x2b\x2d-\x7e]*$/;

/**
 * W3C baggage through OpenTelemetry's propagator, minus what would make it throw or write an invalid header:
 * entries whose key or value is not well-formed Unicode (`encodeURIComponent` throws `URIError` on a lone
 * surrogate) or whose metadata holds control characters or commas are left out (reported once).
 */
export class BaggagePropagator implements TextMapPropagator {
  private readonly delegate = new W3CBaggagePropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined) return;
    let safe = baggage;
    for (const [key, entry] of baggage.getAllEntries()) {
      const metadata = entry.metadata?.toString();
      if (
        percentEncode(key) !== undefined &&
        percentEncode(entry.value) !== undefined &&
        (metadata === undefined || SAFE_METADATA.test(metadata))
      )
        continue;
      reportOnce(
        'baggage:entry',
        'baggage entries that cannot be written in a baggage header were not injected',
      );
      safe = safe.removeEntry(key);
    }
    this.delegate.inject(safe === baggage ? context : propagation.setBaggage(context, safe), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.delegate.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.delegate.fields();
  }
}
