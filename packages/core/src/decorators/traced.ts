import {
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { attributeValueLengthLimit, normalizeAttributeValue } from '../attributes/normalizeAttributeValue';
import { reportOnce } from '../diagnostics/reportOnce';
import { isSdkDisabled } from '../environment/sdkDisabled';
import { decoratorSwitch, decoratorTracer } from '../span/decoratorTracer';
import { globalContextManager } from '../span/globalContextManager';
import { callAndSettle, type ResultTag, type SpanSettlement } from '../span/settleSpan';
import type { TracedOptions } from '../types';
import { methodDisplayName, methodSite, type ParameterTag } from './methodSite';

/** Attribute key of the return value recorded by `recordResult`. */
export const RESULT_ATTRIBUTE = 'tracery.result';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Function properties that belong to the wrapper itself and are not copied from the original. */
const OWN_FUNCTION_PROPERTIES = new Set<string | symbol>([
  'length',
  'name',
  'prototype',
  'arguments',
  'caller',
]);

/**
 * Method decorator: each call of the method runs in a span of the global tracer provider
 * (`trace.getTracer('@tracery/core')`), child of the active span. The method keeps its shape: a sync method
 * stays sync and returns the same value; a native promise is returned as the same object and the span ends
 * when it settles; errors reach the caller unchanged and are recorded on the span. A non-native thenable is
 * returned untouched (its `then` is never called) and the span ends when the method returns.
 *
 * @example
 * class Orders {
 *   @Traced()
 *   async place(@SpanTag('order.id', 'id') order: Order) { ... }
 * }
 */
export function Traced(nameOrOptions?: string | TracedOptions): MethodDecorator {
  const options: TracedOptions =
    typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return (target, propertyKey, descriptor) => {
    const original: unknown = descriptor?.value; // no descriptor: used on a field
    if (typeof original !== 'function') {
      reportOnce(
        `traced:${String(propertyKey)}:not-a-method`,
        `@Traced on ${String(propertyKey)}, which is not a method, is ignored`,
      );
      return descriptor;
    }
    if (isSdkDisabled()) return descriptor; // OTEL_SDK_DISABLED=true: the original method, untouched
    const name =
      typeof options.name === 'string' && options.name !== ''
        ? options.name
        : methodDisplayName(target, propertyKey);
    const site = methodSite(target, propertyKey);
    const resultTags: ResultTag[] = site.resultTags;
    const recordResult = resultTagOf(options.recordResult, name);
    if (recordResult !== undefined) resultTags.push(recordResult);
    const wrapper = tracedWrapper(original as AnyFunction, name, spanOptionsOf(options), site.parameterTags, {
      name,
      resultTags,
      isError: options.isError,
    });
    preserveIdentity(wrapper, original as AnyFunction);
    (descriptor as TypedPropertyDescriptor<unknown>).value = wrapper;
    return descriptor;
  };
}

function tracedWrapper(
  original: AnyFunction,
  name: string,
  spanOptions: SpanOptions,
  parameterTags: readonly ParameterTag[],
  settlement: SpanSettlement,
): AnyFunction {
  const traceCall = function (this: unknown, ...args: unknown[]): unknown {
    let span: Span;
    let active: Context;
    let recording: boolean;
    let contextManager: Pick<ContextManager, 'active' | 'with'>;
    try {
      contextManager = globalContextManager();
      const parent = contextManager.active();
      span = decoratorTracer().startSpan(
        name,
        parameterTags.length === 0 ? spanOptions : withParameterTags(spanOptions, parameterTags, args, name),
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
  // Method shorthand: like the original method, the wrapper has no `prototype` and is not a constructor.
  // It is one `Reflect.apply` of its own `arguments`, which V8 forwards without allocating them, so the
  // disabled path costs a flag check and a call.
  return {
    traced(this: unknown): unknown {
      // eslint-disable-next-line prefer-rest-params
      if (decoratorSwitch.enabled) return Reflect.apply(traceCall, this, arguments);
      // eslint-disable-next-line prefer-rest-params
      return Reflect.apply(original, this, arguments);
    },
  }.traced;
}

/** The span options every call shares, built at decoration time. */
function spanOptionsOf(options: TracedOptions): SpanOptions {
  const spanOptions: SpanOptions = { kind: options.kind ?? SpanKind.INTERNAL };
  if (options.attributes !== undefined) spanOptions.attributes = { ...options.attributes };
  if (options.links !== undefined) spanOptions.links = [...options.links];
  if (options.root === true) spanOptions.root = true;
  return spanOptions;
}

function withParameterTags(
  base: SpanOptions,
  parameterTags: readonly ParameterTag[],
  args: unknown[],
  name: string,
): SpanOptions {
  const attributes: Attributes = { ...base.attributes };
  for (let i = 0; i < parameterTags.length; i++) {
    const tag = parameterTags[i];
    try {
      const value = tag.extract(args[tag.index]);
      if (value !== undefined) attributes[tag.key] = value;
    } catch (error) {
      reportOnce(tag.reportKey, `tag '${tag.key}' of ${name} skipped`, error);
    }
  }
  return { kind: base.kind, attributes, links: base.links, root: base.root };
}

function resultTagOf(recordResult: TracedOptions['recordResult'], name: string): ResultTag | undefined {
  if (recordResult === undefined || recordResult === false) return undefined;
  const limit = attributeValueLengthLimit();
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

/** Keeps what other code may read from the method: `name`, `length`, reflect metadata, own properties. */
function preserveIdentity(wrapper: AnyFunction, original: AnyFunction): void {
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  for (const key of Reflect.ownKeys(original)) {
    if (OWN_FUNCTION_PROPERTIES.has(key)) continue;
    const property = Object.getOwnPropertyDescriptor(original, key);
    if (property !== undefined) Object.defineProperty(wrapper, key, property);
  }
  const metadata = Reflect as unknown as {
    getMetadataKeys?: (target: object) => unknown[];
    getMetadata?: (key: unknown, target: object) => unknown;
    defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  };
  if (
    typeof metadata.getMetadataKeys === 'function' &&
    typeof metadata.getMetadata === 'function' &&
    typeof metadata.defineMetadata === 'function'
  ) {
    for (const key of metadata.getMetadataKeys(original)) {
      metadata.defineMetadata(key, metadata.getMetadata(key, original), wrapper);
    }
  }
}
