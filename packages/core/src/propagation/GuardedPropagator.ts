import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { reportOnce } from '../diagnostics/reportOnce';

/**
 * A propagator that never throws, whoever calls it (`TracerService`, or `propagation.inject`/`extract` of the
 * global API as instrumentations call them, with their own getter and setter): a throw (a hostile carrier, a
 * throwing getter or setter) is reported once and gives no header / the context unchanged.
 */
export class GuardedPropagator implements TextMapPropagator {
  constructor(
    private readonly delegate: TextMapPropagator,
    private readonly name: string,
  ) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    try {
      this.delegate.inject(context, carrier, setter);
    } catch (error) {
      reportOnce(`inject:${this.name}`, `could not inject the trace context (${this.name})`, error);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      return this.delegate.extract(context, carrier, getter);
    } catch (error) {
      reportOnce(`extract:${this.name}`, `could not extract a trace context (${this.name})`, error);
      return context;
    }
  }

  fields(): string[] {
    try {
      return this.delegate.fields();
    } catch {
      return [];
    }
  }
}
