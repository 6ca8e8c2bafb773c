import type { AttributeValue } from '@opentelemetry/api';
import { attributeValueLengthLimit, normalizeAttributeValue } from '../attributes/normalizeAttributeValue';
import { reportOnce } from '../diagnostics/reportOnce';
import { methodDisplayName, methodSite } from './methodSite';

/**
 * Tags the span of a `@Traced` method.
 * - On a PARAMETER: the attribute `key` is the argument (or `mapper` of it), set when the span starts, so
 *   samplers see it.
 * - On the METHOD: the attribute is computed from the result (the resolved value for a native promise).
 *
 * `mapper` is a function of the value or a dotted path (`'user.id'`). Values are normalised (see the
 * README); `undefined`/`null` record nothing. A mapper or getter that throws skips the tag (reported once
 * through `diag`) and the call proceeds. Without `@Traced` on the method, `@SpanTag` does nothing.
 *
 * @example
 * class Users {
 *   @Traced()
 *   @SpanTag('user.found', (user) => user !== undefined)
 *   find(@SpanTag('user.id') id: string, @SpanTag('tenant', 'tenant.id') scope: Scope) { ... }
 * }
 */
export function SpanTag(
  key: string,
  // The mapper receives whatever the parameter or the method gives, so an inline `(user) => user.id` type-checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  mapper?: ((value: any) => unknown) | string,
): ParameterDecorator & MethodDecorator {
  const select = selectorOf(mapper, `@SpanTag('${key}')`);
  const limit = attributeValueLengthLimit();
  const extract = (value: unknown): AttributeValue | undefined =>
    normalizeAttributeValue(select(value), limit);
  const decorator = (
    target: object,
    propertyKey: string | symbol | undefined,
    where?: number | PropertyDescriptor,
  ): void => {
    if (propertyKey === undefined) {
      reportOnce(`spanTag:${key}:constructor`, `@SpanTag('${key}') on a constructor parameter is ignored`);
      return;
    }
    const site = methodSite(target, propertyKey);
    const siteName = methodDisplayName(target, propertyKey);
    if (typeof where === 'number') {
      site.parameterTags.push({
        key,
        index: where,
        extract,
        reportKey: `spanTag:${siteName}:${key}:${where}`,
      });
    } else {
      site.resultTags.push({ key, extract, reportKey: `spanTag:${siteName}:${key}:result` });
    }
  };
  return decorator as ParameterDecorator & MethodDecorator;
}

/** A mapper as given to `@SpanTag`/`@SpanLink`: a function, a dotted path, or nothing (the value itself). */
export function selectorOf(mapper: unknown, decoratorLabel: string): (value: unknown) => unknown {
  if (typeof mapper === 'function') return mapper as (value: unknown) => unknown;
  if (mapper === undefined || mapper === '') return (value) => value;
  if (typeof mapper !== 'string') {
    reportOnce(
      `mapper:${decoratorLabel}`,
      `${decoratorLabel} mapper is neither a function nor a path; the value is used as is`,
    );
    return (value) => value;
  }
  const path = mapper.split('.');
  return (value) => {
    let current: unknown = value;
    for (let i = 0; i < path.length; i++) {
      if (current === null || current === undefined) return undefined;
      current = (current as Record<string, unknown>)[path[i]];
    }
    return current;
  };
}
