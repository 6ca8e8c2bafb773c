import {
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Link,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { attributeValueLengthLimit, normalizeAttributeValue } from '../attributes/normalizeAttributeValue';
import { reportOnce } from '../diagnostics/reportOnce';
import { guardedSpanNamer } from '../diagnostics/spanNameGuard';
import { isExcluded } from '../environment/excludedMethods';
import { collectLinks } from '../links/linksOf';
import {
  bypassWhileOff,
  decoratorSwitch,
  decoratorTracer,
  isTracerProviderRegistered,
} from '../span/decoratorTracer';
import { globalContextManager } from '../span/globalContextManager';
import { callAndSettle, type ResultTag, type SpanSettlement } from '../span/settleSpan';
import { generatorKindOf, traceIteration } from '../span/tracedIteration';
import type { TracedOptions } from '../types';
import type { LinkParameter, MethodSite, ParameterTag } from './methodSite';
import { preserveIdentity } from './preserveIdentity';

/** Attribute key of the return value recorded by `recordResult`. */
export const RESULT_ATTRIBUTE = 'tracery.result';

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** What a traced method is told about the class it belongs to. */
export interface MethodOwner {
  /** The class name when known at decoration time (legacy decorators, class-level `@Traced`). */
  className?: string;
  /** The method's property key. */
  readonly key: string | symbol;
  /**
   * The object the wrapper is installed on, when known at decoration time (a legacy decorator's target, the
   * prototype a class-level `@Traced` wraps); else found from `this` at a call.
   */
  readonly holder?: object;
}

/** The class-name hook of a traced wrapper (standard decorators learn the class late). */
interface WrapperInfo {
  readonly owner: MethodOwner;
}

const wrappers = new WeakMap<object, WrapperInfo>();

/** Whether `fn` is a wrapper `@Traced` made (so a class-level `@Traced` does not wrap it again). */
export function isTracedWrapper(fn: unknown): boolean {
  return typeof fn === 'function' && wrappers.has(fn);
}

/** Tells a wrapper its class, if it does not know it yet (a class-level decorator that saw it). */
export function offerClassName(fn: unknown, className: string): void {
  const info = typeof fn === 'function' ? wrappers.get(fn) : undefined;
  if (info !== undefined && info.owner.className === undefined) info.owner.className = className;
}

/** `ClassName.methodName`, a symbol key as `ClassName.[description]`. */
export function displayName(className: string, key: string | symbol): string {
  return `${className}.${methodKeyName(key)}`;
}

export function methodKeyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
}

/**
 * Builds the wrapper of a traced method. Everything that does not depend on the class name is prepared
 * now; the rest (span name, exclusion by `TRACERY_EXCLUDE`, the per-call option builder) once, at the first
 * traced call, after which the wrapper calls a function fixed for good: the traced call, or the original
 * method when excluded.
 */
export function wrapTracedMethod(
  original: AnyFunction,
  options: TracedOptions,
  site: MethodSite,
  owner: MethodOwner,
  classNameAtCall: (self: unknown, wrapper: AnyFunction) => string,
): AnyFunction {
  const staticOptions = spanOptionsOf(options);
  const generatorKind = generatorKindOf(original);
  // Read at decoration time, like @SpanTag's: a later change of the variable does not split one method's spans.
  const limit = attributeValueLengthLimit();
  let impl: AnyFunction = function firstCall(this: unknown, ...args: unknown[]): unknown {
    try {
      const className = owner.className ?? (owner.className = classNameAtCall(this, wrapper));
      impl = isExcluded(className, methodKeyName(owner.key))
        ? original
        : tracedCall(original, options, site, staticOptions, generatorKind, className, owner.key, limit);
    } catch (error) {
      reportOnce(
        `traced:${String(owner.key)}:prepare`,
        `could not prepare tracing of ${String(owner.key)}; it runs untraced`,
        error,
      );
      impl = original;
    }
    return Reflect.apply(impl, this, args);
  };
  /** The hold of the decorators (see `decoratorSwitch.hold`) in which this method was last bypassed. */
  let bypassedInHold = 0;
  // Method shorthand: like the original method, the wrapper has no `prototype` and is not a constructor.
  // It is one `Reflect.apply` of its own `arguments`, which V8 forwards without allocating them. Without a
  // registered tracer provider (no SDK), a span could not record: the original method is called as is, the
  // first-call preparation waiting for a provider. With the decorators held off (`enabled: false`), the first
  // call puts the original method back on its holder for the time of the hold, so later calls skip this frame.
  const wrapper = {
    traced(this: unknown): unknown {
      if (decoratorSwitch.enabled) {
        // eslint-disable-next-line prefer-rest-params
        if (isTracerProviderRegistered()) return Reflect.apply(impl, this, arguments);
      } else if (bypassedInHold !== decoratorSwitch.hold) {
        bypassedInHold = decoratorSwitch.hold;
        const holder = owner.holder ?? holderOf(this, owner.key, wrapper);
        if (holder !== undefined) bypassWhileOff(holder, owner.key, wrapper, original);
      }
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(original, this, arguments);
    },
  }.traced;
  preserveIdentity(wrapper, original);
  wrappers.set(wrapper, { owner });
  return wrapper;
}

/** The object of `self`'s prototype chain that holds `wrapper` as its own `key`, if any. */
function holderOf(self: unknown, key: string | symbol, wrapper: unknown): object | undefined {
  let current: unknown = self;
  for (let depth = 0; depth < 100 && current !== null && current !== undefined; depth++) {
    if (typeof current !== 'object' && typeof current !== 'function') return undefined;
    if (Object.getOwnPropertyDescriptor(current, key)?.value === wrapper) return current;
    current = Object.getPrototypeOf(current);
  }
  return undefined;
}

/** The traced call of one method, built at its first call, when the class name is known. */
function tracedCall(
  original: AnyFunction,
  options: TracedOptions,
  site: MethodSite,
  staticOptions: SpanOptions,
  generatorKind: 'sync' | 'async' | undefined,
  className: string,
  key: string | symbol,
  limit: number,
): AnyFunction {
  const methodName = displayName(className, key);
  const name = typeof options.name === 'string' && options.name !== '' ? options.name : methodName;
  const nameOf = typeof options.name === 'function' ? guardedSpanNamer(options.name, name) : undefined;
  const resultTags: ResultTag[] = [...site.resultTags];
  const recordResult = resultTagOf(options.recordResult, name, limit);
  if (recordResult !== undefined) resultTags.push(recordResult);
  const settlement: SpanSettlement = { name, resultTags, isError: options.isError };
  const callOptions = callSpanOptionsOf(staticOptions, site, options, methodName, limit);

  if (generatorKind !== undefined) {
    return function (this: unknown, ...args: unknown[]): unknown {
      let span: Span;
      let active: Context;
      let contextManager: Pick<ContextManager, 'active' | 'with'>;
      try {
        contextManager = globalContextManager();
        const parent = contextManager.active();
        span = decoratorTracer().startSpan(
          nameOf === undefined ? name : nameOf(args),
          callOptions === undefined || isTracingSuppressed(parent) ? staticOptions : callOptions(args),
          parent,
        );
        active = trace.setSpan(parent, span);
      } catch (error) {
        reportOnce(`traced:${name}:start`, `could not start a span for ${name}; it runs untraced`, error);
        return Reflect.apply(original, this, args);
      }
      return traceIteration(generatorKind, span, active, contextManager, settlement, original, this, args);
    };
  }

  return function (this: unknown, ...args: unknown[]): unknown {
    let span: Span;
    let active: Context;
    let recording: boolean;
    let contextManager: Pick<ContextManager, 'active' | 'with'>;
    try {
      contextManager = globalContextManager();
      const parent = contextManager.active();
      // Tags are worked out for a span that may record: not under suppressed tracing (an export's own calls).
      span = decoratorTracer().startSpan(
        nameOf === undefined ? name : nameOf(args),
        callOptions === undefined || isTracingSuppressed(parent) ? staticOptions : callOptions(args),
        parent,
      );
      active = trace.setSpan(parent, span);
      recording = span.isRecording();
    } catch (error) {
      reportOnce(`traced:${name}:start`, `could not start a span for ${name}; it runs untraced`, error);
      return Reflect.apply(original, this, args);
    }
    // A non-recording span still becomes active (children and injected headers carry its sampling
    // decision), but there is nothing to record, so the call is made as is.
    if (!recording) return contextManager.with(active, Reflect.apply, undefined, original, this, args);
    return contextManager.with(active, callAndSettle, undefined, span, settlement, original, this, args);
  };
}

/** The span options every call shares, built at decoration time. */
function spanOptionsOf(options: TracedOptions): SpanOptions {
  const spanOptions: SpanOptions = { kind: options.kind ?? SpanKind.INTERNAL };
  if (options.attributes !== undefined) spanOptions.attributes = { ...options.attributes };
  if (Array.isArray(options.links)) spanOptions.links = [...options.links];
  if (options.root === true) spanOptions.root = true;
  return spanOptions;
}

/**
 * The builder of one call's span options from its arguments (`@SpanTag` parameters, `tags`, `@SpanLink`
 * parameters, a `links` function), or `undefined` when the options do not depend on the arguments.
 */
function callSpanOptionsOf(
  base: SpanOptions,
  site: MethodSite,
  options: TracedOptions,
  methodName: string,
  limit: number,
): ((args: unknown[]) => SpanOptions) | undefined {
  const parameterTags = [...site.parameterTags, ...indexTagsOf(options.tags, methodName, limit)];
  const tagsOf = typeof options.tags === 'function' ? options.tags : undefined;
  const linkParameters: readonly LinkParameter[] = [...site.linkParameters];
  const linksOf = typeof options.links === 'function' ? options.links : undefined;
  if (
    parameterTags.length === 0 &&
    tagsOf === undefined &&
    linkParameters.length === 0 &&
    linksOf === undefined
  ) {
    return undefined;
  }
  return (args) => {
    const attributes: Attributes = { ...base.attributes };
    for (let i = 0; i < parameterTags.length; i++) {
      const tag = parameterTags[i];
      try {
        const value = tag.extract(args[tag.index]);
        if (value !== undefined) attributes[tag.key] = value;
      } catch (error) {
        reportOnce(tag.reportKey, `tag '${tag.key}' of ${methodName} skipped`, error);
      }
    }
    if (tagsOf !== undefined) addComputedTags(attributes, tagsOf, args, methodName, limit);
    let links = base.links;
    if (linkParameters.length > 0 || linksOf !== undefined) {
      links = base.links === undefined ? [] : [...base.links];
      collectCallLinks(links, linkParameters, linksOf, args, methodName);
    }
    return { kind: base.kind, attributes, links, root: base.root };
  };
}

function indexTagsOf(tags: TracedOptions['tags'], methodName: string, limit: number): ParameterTag[] {
  if (tags === undefined || tags === null || typeof tags !== 'object') return [];
  const found: ParameterTag[] = [];
  for (const [key, index] of Object.entries(tags)) {
    if (!Number.isInteger(index) || index < 0) {
      reportOnce(
        `tags:${methodName}:${key}`,
        `tag '${key}' of ${methodName} names no argument index; ignored`,
      );
      continue;
    }
    found.push({
      key,
      index,
      extract: (argument) => normalizeAttributeValue(argument, limit),
      reportKey: `tags:${methodName}:${key}:${index}`,
    });
  }
  return found;
}

function addComputedTags(
  attributes: Attributes,
  tagsOf: (args: readonly unknown[]) => Attributes | null | undefined,
  args: unknown[],
  methodName: string,
  limit: number,
): void {
  try {
    const computed: unknown = tagsOf(args);
    if (computed === undefined || computed === null) return;
    if (typeof computed !== 'object') {
      reportOnce(`tags:${methodName}:type`, `the tags function of ${methodName} returned no object; skipped`);
      return;
    }
    for (const key of Object.keys(computed)) {
      const value = normalizeAttributeValue((computed as Record<string, unknown>)[key], limit);
      if (value !== undefined) attributes[key] = value;
    }
  } catch (error) {
    reportOnce(`tags:${methodName}`, `the tags function of ${methodName} threw; its tags are skipped`, error);
  }
}

function collectCallLinks(
  links: Link[],
  linkParameters: readonly LinkParameter[],
  linksOf: ((args: readonly unknown[]) => unknown) | undefined,
  args: unknown[],
  methodName: string,
): void {
  let bad = 0;
  for (let i = 0; i < linkParameters.length; i++) {
    const parameter = linkParameters[i];
    try {
      bad += collectLinks(parameter.select(args[parameter.index]), links);
    } catch (error) {
      reportOnce(
        `links:${methodName}:${parameter.index}`,
        `a link of ${methodName} could not be read; skipped`,
        error,
      );
    }
  }
  if (linksOf !== undefined) {
    try {
      bad += collectLinks(linksOf(args), links);
    } catch (error) {
      reportOnce(
        `links:${methodName}`,
        `the links function of ${methodName} threw; its links are skipped`,
        error,
      );
    }
  }
  if (bad > 0) {
    reportOnce(
      `links:${methodName}:bad`,
      `${methodName} was given link targets that name no valid span context; they were skipped`,
    );
  }
}

function resultTagOf(
  recordResult: TracedOptions['recordResult'],
  name: string,
  limit: number,
): ResultTag | undefined {
  if (recordResult === undefined || recordResult === false) return undefined;
  const map = typeof recordResult === 'function' ? recordResult : undefined;
  return {
    key: RESULT_ATTRIBUTE,
    extract:
      map === undefined
        ? (result) => normalizeAttributeValue(result, limit)
        : (result) => normalizeAttributeValue(map(result), limit),
    reportKey: `traced:${name}:recordResult`,
  };
}
