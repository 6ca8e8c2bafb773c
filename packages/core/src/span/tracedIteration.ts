import type { Context, ContextManager, Span } from '@opentelemetry/api';
import { reportOnce } from '../diagnostics/reportOnce';
import { endWithError, endWithResult, type SpanSettlement } from './settleSpan';

/** Attribute: the number of items a traced generator yielded. */
export const GENERATOR_ITEMS_ATTRIBUTE = 'tracery.generator.items';
/** Attribute: `true` when a traced generator was garbage-collected before it finished. */
export const GENERATOR_ABANDONED_ATTRIBUTE = 'tracery.generator.abandoned';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Step = (value?: unknown) => unknown;

/** The span of one generator's iteration. Holds nothing that refers back to the generator object. */
interface IterationState {
  readonly span: Span;
  readonly active: Context;
  readonly contextManager: Pick<ContextManager, 'with'>;
  readonly settlement: SpanSettlement;
  items: number;
  ended: boolean;
}

/**
 * Ends the span of a generator that was garbage-collected unfinished (a consumer that stopped iterating
 * without `return()`), so an abandoned generator does not keep its span open forever.
 */
const abandoned =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<IterationState>((state) => {
        if (state.ended) return;
        state.ended = true;
        try {
          state.span.setAttribute(GENERATOR_ITEMS_ATTRIBUTE, state.items);
          state.span.setAttribute(GENERATOR_ABANDONED_ATTRIBUTE, true);
          state.span.end();
        } catch (error) {
          reportOnce(
            `generator:${state.settlement.name}:abandoned`,
            'could not end an abandoned generator span',
            error,
          );
        }
      })
    : undefined;

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as unknown;

/** `'sync'` for a generator function, `'async'` for an async generator function, else `undefined`. */
export function generatorKindOf(fn: unknown): 'sync' | 'async' | undefined {
  if (typeof fn !== 'function') return undefined;
  if ((fn as object) instanceof (GeneratorFunction as typeof Function)) return 'sync';
  if ((fn as object) instanceof (AsyncGeneratorFunction as typeof Function)) return 'async';
  return undefined;
}

/**
 * Calls the generator function `fn` with `span` active and returns an iterator over the generator it made:
 * each `next()`, `return()` and `throw()` runs the generator body with the span's context active; the span
 * ends when the generator finishes (exhausted, returned, or throwing), with `tracery.generator.items`.
 */
export function traceIteration(
  kind: 'sync' | 'async',
  span: Span,
  active: Context,
  contextManager: Pick<ContextManager, 'with'>,
  settlement: SpanSettlement,
  fn: AnyFunction,
  self: unknown,
  args: unknown[],
): unknown {
  let generator: { next: Step; return: Step; throw: Step };
  try {
    generator = contextManager.with(active, Reflect.apply, undefined, fn, self, args) as typeof generator;
  } catch (error) {
    endWithError(span, settlement, error);
    throw error;
  }
  const state: IterationState = { span, active, contextManager, settlement, items: 0, ended: false };
  const iterator =
    kind === 'sync' ? new TracedIterator(generator, state) : new TracedAsyncIterator(generator, state);
  abandoned?.register(iterator, state, state);
  return iterator;
}

function finish(state: IterationState, result: IteratorResult<unknown>): void {
  state.ended = true;
  abandoned?.unregister(state);
  try {
    state.span.setAttribute(GENERATOR_ITEMS_ATTRIBUTE, state.items);
  } catch {
    // the span's own fault; endWithResult reports faults of ending it
  }
  endWithResult(state.span, state.settlement, result.value, true);
}

function fail(state: IterationState, error: unknown): void {
  if (state.ended) return;
  state.ended = true;
  abandoned?.unregister(state);
  try {
    state.span.setAttribute(GENERATOR_ITEMS_ATTRIBUTE, state.items);
  } catch {
    // see finish
  }
  endWithError(state.span, state.settlement, error);
}

function observe(state: IterationState, result: IteratorResult<unknown>): void {
  if (state.ended) return;
  let done: boolean;
  try {
    done = result.done === true;
  } catch {
    return;
  }
  if (done) finish(state, result);
  else state.items++;
}

/** The iterator protocol a traced generator method's result speaks: each step runs through `step`. */
abstract class IteratorOverGenerator {
  constructor(
    protected readonly generator: { next: Step; return: Step; throw: Step },
    protected readonly state: IterationState,
  ) {}

  next(value?: unknown): unknown {
    return this.step(this.generator.next, value);
  }

  return(value?: unknown): unknown {
    return this.step(this.generator.return, value);
  }

  throw(error?: unknown): unknown {
    return this.step(this.generator.throw, error);
  }

  protected abstract step(method: Step, value: unknown): unknown;
}

/** What a traced generator method returns: an iterator over the original generator. */
class TracedIterator extends IteratorOverGenerator {
  readonly [Symbol.toStringTag] = 'Generator';

  [Symbol.iterator](): this {
    return this;
  }

  protected step(method: Step, value: unknown): unknown {
    const state = this.state;
    if (state.ended) return Reflect.apply(method, this.generator, [value]);
    let result: unknown;
    try {
      result = state.contextManager.with(state.active, method, this.generator, value);
    } catch (error) {
      fail(state, error);
      throw error;
    }
    observe(state, result as IteratorResult<unknown>);
    return result;
  }
}

/** What a traced async generator method returns: an async iterator over the original async generator. */
class TracedAsyncIterator extends IteratorOverGenerator {
  readonly [Symbol.toStringTag] = 'AsyncGenerator';

  [Symbol.asyncIterator](): this {
    return this;
  }

  protected step(method: Step, value: unknown): unknown {
    const state = this.state;
    if (state.ended) return Reflect.apply(method, this.generator, [value]);
    // An async generator's next/return/throw never throw: they return a native promise.
    const promise = state.contextManager.with(state.active, method, this.generator, value) as Promise<
      IteratorResult<unknown>
    >;
    // Both handlers catch everything, so the derived promise adds no unhandled rejection; the caller gets
    // the very promise the generator returned.
    nativeThen.call(
      promise,
      (result) => observe(state, result),
      (error: unknown) => fail(state, error),
    );
    return promise;
  }
}

const nativeThen = Promise.prototype.then as (
  this: Promise<IteratorResult<unknown>>,
  onFulfilled: (result: IteratorResult<unknown>) => void,
  onRejected: (error: unknown) => void,
) => Promise<void>;
