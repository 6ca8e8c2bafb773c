import type { AttributeValue } from '@opentelemetry/api';
import type { ResultTag } from '../span/settleSpan';

/** An attribute computed from one argument of a traced call, set when the span starts. */
export interface ParameterTag {
  /** Attribute key. */
  readonly key: string;
  /** Index of the argument. */
  readonly index: number;
  /** Maps the argument to the attribute value; `undefined` records nothing. May throw. */
  readonly extract: (argument: unknown) => AttributeValue | undefined;
  /** Key under which a failure of `extract` is reported once. */
  readonly reportKey: string;
}

/**
 * What the decorators of one method (`@Traced`, `@SpanTag`s on it and its parameters) share. Parameter
 * decorators run before method decorators, and method decorators run in either order, so `@Traced` keeps a
 * reference to this record and `@SpanTag`s fill it, all at class definition time.
 */
export interface MethodSite {
  readonly parameterTags: ParameterTag[];
  readonly resultTags: ResultTag[];
  /** Arguments that `@SpanLink` turns into links. */
  readonly linkParameters: LinkParameter[];
  /** Set by a method's own `@Traced` (legacy), so a class-level `@Traced` leaves the method to it. */
  traced: boolean;
  /** Set by `@Untraced()` (legacy), so a class-level `@Traced` skips the method. */
  untraced: boolean;
}

/** An argument whose value (or `select` of it) gives the links of a traced call. */
export interface LinkParameter {
  /** Index of the argument. */
  readonly index: number;
  /** Maps the argument to a link target or an array of them. May throw. */
  readonly select: (argument: unknown) => unknown;
}

const sites = new WeakMap<object, Map<string | symbol, MethodSite>>();

/** The site of `target[propertyKey]` (`target` is a prototype, or a constructor for static methods). */
export function methodSite(target: object, propertyKey: string | symbol): MethodSite {
  let byKey = sites.get(target);
  if (byKey === undefined) {
    byKey = new Map();
    sites.set(target, byKey);
  }
  let site = byKey.get(propertyKey);
  if (site === undefined) {
    site = { parameterTags: [], resultTags: [], linkParameters: [], traced: false, untraced: false };
    byKey.set(propertyKey, site);
  }
  return site;
}

/** A site for a method no legacy decorator can see by its target (standard decorators). */
export function detachedSite(): MethodSite {
  return { parameterTags: [], resultTags: [], linkParameters: [], traced: false, untraced: false };
}

/** `ClassName.methodName`; a symbol key gives `ClassName.[description]`, as JavaScript names such methods. */
export function methodDisplayName(target: object, propertyKey: string | symbol): string {
  const owner = typeof target === 'function' ? target : (target as { constructor?: unknown }).constructor;
  const className = typeof owner === 'function' && owner.name !== '' ? owner.name : 'anonymous';
  const methodName = typeof propertyKey === 'symbol' ? `[${propertyKey.description ?? ''}]` : propertyKey;
  return `${className}.${methodName}`;
}
