import { ProxyTracer, trace, type Tracer } from '@opentelemetry/api';

/** The instrumentation scope name of every span the decorators start. */
export const TRACER_NAME = '@tracery/core';

/**
 * Whether decorated methods trace at run time. `TracerService` with `enabled: false` turns it off while it
 * lives; decorated methods then call the original method directly. Only `holdDecoratorsOff` writes it;
 * `hold` counts the holds taken, so a wrapper knows whether it was already bypassed in the current one.
 */
export const decoratorSwitch = { enabled: true, hold: 0 };

/** How many live holds keep the decorators off (several `enabled: false` services may overlap). */
let holdsOff = 0;

/** A method whose holder got its original function back while the decorators are off. */
interface Bypass {
  readonly holder: object;
  readonly key: string | symbol;
  readonly wrapper: unknown;
  readonly original: unknown;
}

/** The methods bypassed during the current hold, put back when it ends. */
const bypassed: Bypass[] = [];
/** Most methods bypassed in one hold; beyond, the others go on through their wrapper's switch check. */
const MAX_BYPASSED = 10_000;

/**
 * Turns the decorators off until every hold taken is released; returns the release function (idempotent),
 * so the first of two disabled services to shut down does not turn tracing back on under the other.
 */
export function holdDecoratorsOff(): () => void {
  holdsOff++;
  if (holdsOff === 1) decoratorSwitch.hold++;
  decoratorSwitch.enabled = false;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holdsOff--;
    if (holdsOff === 0) {
      decoratorSwitch.enabled = true;
      restoreBypassed();
    }
  };
}

/**
 * While the decorators are off, puts `original` back in place of `wrapper` on the object holding it (a
 * prototype, or a class for a static method), so that calls skip the wrapper altogether: a disabled method
 * costs what an undecorated one does. Undone when the hold ends. Does nothing when `holder` does not hold
 * `wrapper` (another decorator wrapped it) or cannot be changed.
 */
export function bypassWhileOff(
  holder: object,
  key: string | symbol,
  wrapper: unknown,
  original: unknown,
): void {
  if (decoratorSwitch.enabled || bypassed.length >= MAX_BYPASSED) return;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor === undefined || descriptor.value !== wrapper || descriptor.configurable !== true) return;
    Object.defineProperty(holder, key, { ...descriptor, value: original });
    bypassed.push({ holder, key, wrapper, original });
  } catch {
    // a frozen or exotic holder: the wrapper's own check goes on serving
  }
}

function restoreBypassed(): void {
  for (const { holder, key, wrapper, original } of bypassed.splice(0)) {
    try {
      const descriptor = Object.getOwnPropertyDescriptor(holder, key);
      if (descriptor !== undefined && descriptor.value === original) {
        Object.defineProperty(holder, key, { ...descriptor, value: wrapper });
      }
    } catch {
      // left as it is: the original method, untraced
    }
  }
}

/**
 * Where `@opentelemetry/api` 1.x keeps its globals. Its `trace` member changes whenever a tracer provider is
 * registered or `trace.disable()` runs, which makes it a cheap key for the cached tracer.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
type ApiGlobals = { trace?: unknown } | undefined;

let cachedRegistration: unknown;
let cachedTracer: Tracer | undefined;

/**
 * Whether a tracer provider is registered globally (an SDK, `TracerService`, `@tracery/fc`'s): until one is, the
 * API's tracers are no-ops whose spans cannot record, and decorated methods skip them altogether (no span, no
 * tag, nothing allocated). Two property reads.
 */
export function isTracerProviderRegistered(): boolean {
  return (globalThis as Record<symbol, ApiGlobals>)[API_GLOBALS]?.trace !== undefined;
}

/**
 * The tracer of the GLOBAL tracer provider (`trace.getTracer('@tracery/core')`), resolved again whenever the
 * registration changes (a provider registered later, `trace.disable()` and a new one), and cached only once
 * it is the registered provider's own tracer, so each call skips the API's global look-up and proxy.
 */
export function decoratorTracer(): Tracer {
  const registration = (globalThis as Record<symbol, ApiGlobals>)[API_GLOBALS]?.trace;
  if (registration === cachedRegistration && cachedTracer !== undefined) return cachedTracer;
  const tracer = trace.getTracerProvider().getTracer(TRACER_NAME);
  // A ProxyTracer means no provider is registered yet: use it, but look again next time.
  cachedTracer = tracer instanceof ProxyTracer ? undefined : tracer;
  cachedRegistration = registration;
  return tracer;
}
