import {
  context,
  isSpanContextValid,
  propagation,
  SpanKind,
  trace,
  type Attributes,
  type Baggage,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { isDebug, withDebug, withNotSampled, withSamplingSignals } from '@tracery/core';
import * as opentracing from 'opentracing';
import { BAGGAGE, OpenTracingSpanContext, OTEL_SPAN_CONTEXT, SIGNALS } from './OpenTracingSpanContext';
import { CONTEXT_WITH, OpenTracingSpan, SPAN_BAGGAGE } from './OpenTracingSpan';
import {
  isErrorTag,
  SAMPLING_PRIORITY_TAG,
  samplingPriority,
  SPAN_KINDS,
  toAttributeValue,
} from './tagValues';

/** The OpenTelemetry link attribute naming an OpenTracing reference's type (OpenTelemetry's semantic convention). */
export const REF_TYPE_ATTRIBUTE = 'opentracing.ref_type';

const NO_REFERENCES: readonly opentracing.Reference[] = Object.freeze([]);
const { REFERENCE_CHILD_OF, REFERENCE_FOLLOWS_FROM } = opentracing;
const SPAN_KIND_TAG = opentracing.Tags.SPAN_KIND;
const hasOwn = Object.prototype.hasOwnProperty;

/** How an OpenTracing `startSpan` call translates: the parent context, the baggage, links, kind and tags. */
export interface StartPlan {
  parent: Context;
  baggage: Baggage | undefined;
  links: Link[] | undefined;
  kind: SpanKind;
  attributes: Attributes;
  /** The `error: true` tag was among the start tags: the span's status is ERROR. */
  error: boolean;
  /** A parent or reference came from another tracer (it was ignored). */
  foreign: boolean;
}

/**
 * Reads OpenTracing's start options the way jaeger-client does: the parent is `childOf` (a span or a span
 * context), else the first CHILD_OF reference, else the first FOLLOWS_FROM one; the span inherits the
 * parent's baggage. Without any, the span is a child of OpenTelemetry's active span (so OpenTracing spans
 * started inside `withSpan`, a `@Traced` method or an instrumented request join that trace). References
 * other than a CHILD_OF parent become links with `opentracing.ref_type` (Jaeger shows them as
 * FOLLOWS_FROM references; a followsFrom parent is both the parent and such a link). A `span.kind` tag of `server`, `client`,
 * `producer` or `consumer` sets the span's kind; `error: true` its status; `sampling.priority` its sampling
 * (above 0: forced, as a debug trace; 0: not sampled).
 */
export function planStart(options: opentracing.SpanOptions, lengthLimit: number): StartPlan {
  const active = context.active();
  const references = Array.isArray(options.references) ? options.references : NO_REFERENCES;
  let foreign = false;
  let parentReference: opentracing.Reference | undefined;
  let parent: unknown = options.childOf ?? undefined;
  if (parent === undefined && references.length > 0) {
    let followsFrom: opentracing.Reference | undefined;
    for (const reference of references) {
      if (!(reference instanceof opentracing.Reference)) continue;
      const type = reference.type();
      if (type === REFERENCE_CHILD_OF) {
        parentReference = reference;
        break;
      }
      if (type === REFERENCE_FOLLOWS_FROM) followsFrom ??= reference;
    }
    parentReference ??= followsFrom;
    parent = parentReference?.referencedContext();
  }

  let parentContext: Context;
  let baggage: Baggage | undefined;
  if (parent === undefined || parent === null) {
    parentContext = active;
    baggage = propagation.getBaggage(active);
  } else if (parent instanceof OpenTracingSpan) {
    parentContext = parent[CONTEXT_WITH](active);
    baggage = parent[SPAN_BAGGAGE];
  } else if (parent instanceof OpenTracingSpanContext) {
    parentContext = parent.isValid()
      ? trace.setSpanContext(active, parent[OTEL_SPAN_CONTEXT])
      : trace.deleteSpan(active);
    const signals = parent[SIGNALS];
    if (signals !== undefined) parentContext = withSamplingSignals(parentContext, signals);
    baggage = parent[BAGGAGE];
  } else {
    foreign = true;
    parentContext = trace.deleteSpan(active);
  }

  let links: Link[] | undefined;
  for (let i = 0; i < references.length; i++) {
    const reference = references[i];
    if (!(reference instanceof opentracing.Reference)) continue;
    // A CHILD_OF parent is the parent, nothing more; a FOLLOWS_FROM parent keeps its reference too, so it
    // arrives as jaeger-client sent it (parent id and a FOLLOWS_FROM reference).
    if (reference === parentReference && reference.type() !== REFERENCE_FOLLOWS_FROM) continue;
    const referenced = reference.referencedContext();
    if (!(referenced instanceof OpenTracingSpanContext)) {
      foreign = true;
      continue;
    }
    const spanContext = referenced[OTEL_SPAN_CONTEXT];
    if (!isSpanContextValid(spanContext)) continue;
    (links ??= []).push({ context: spanContext, attributes: { [REF_TYPE_ATTRIBUTE]: reference.type() } });
  }

  let kind = SpanKind.INTERNAL;
  let error = false;
  let priority: 'debug' | 'deny' | undefined;
  const attributes: Attributes = {};
  const tags = options.tags;
  if (tags !== null && typeof tags === 'object') {
    for (const key in tags) {
      if (!hasOwn.call(tags, key)) continue;
      const value: unknown = tags[key];
      const spanKind = key === SPAN_KIND_TAG ? SPAN_KINDS.get(value) : undefined;
      if (spanKind !== undefined) {
        kind = spanKind;
      } else if (isErrorTag(key, value)) {
        error = true;
      } else {
        if (key === SAMPLING_PRIORITY_TAG) priority = samplingPriority(value);
        const attribute = toAttributeValue(value, lengthLimit);
        if (attribute !== undefined) attributes[key] = attribute;
      }
    }
  }
  // sampling.priority, as jaeger-client reads it: above 0 the trace is debug from this span on (sampled whatever
  // the sampler says; the tag is kept unless the trace already was), else this span and its children are not
  // sampled.
  if (priority === 'debug') {
    if (isDebug(parentContext)) delete attributes[SAMPLING_PRIORITY_TAG];
    else parentContext = withDebug(parentContext);
  } else if (priority === 'deny') {
    parentContext = withNotSampled(parentContext);
  }
  return { parent: parentContext, baggage, links, kind, attributes, error, foreign };
}
