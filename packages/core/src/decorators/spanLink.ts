import { reportOnce } from '../diagnostics/reportOnce';
import { methodSite } from './methodSite';
import { selectorOf } from './spanTag';

/**
 * Parameter decorator (legacy decorators): links the span of a `@Traced` call to the span context the
 * argument names, for batch and message consumers whose work was caused by other traces. The argument (or
 * `mapper` of it: a function or a dotted path such as `'headers'`) may be a span context, a `traceparent`
 * string, a carrier of headers (`traceparent`, `uber-trace-id`, `b3`, `X-B3-*`), or an array of these (one
 * link each). Links are added when the span starts (at most 128). Values that name no valid span context
 * are skipped and reported once through `diag`. Without `@Traced` (on the method or its class) it does
 * nothing. With standard decorators use `TracedOptions.links`.
 *
 * @example
 * class Consumer {
 *   @Traced()
 *   handle(@SpanLink((batch: Message[]) => batch.map((m) => m.headers)) batch: Message[]) { ... }
 * }
 */
export function SpanLink(
  // The mapper receives whatever the parameter is, so an inline `(batch) => ...` type-checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  mapper?: ((value: any) => unknown) | string,
): ParameterDecorator {
  const select = selectorOf(mapper, '@SpanLink()');
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      reportOnce('spanLink:constructor', '@SpanLink() on a constructor parameter is ignored');
      return;
    }
    methodSite(target, propertyKey).linkParameters.push({ index, select });
  };
}
