import { context, type ContextManager } from '@opentelemetry/api';

/**
 * Where `@opentelemetry/api` 1.x keeps its globals; its `context` member changes whenever a context manager
 * is registered or `context.disable()` runs, which makes it a cheap key for the cached manager.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
type ApiGlobals = { context?: unknown } | undefined;

/** The API's own accessor (private in its typings, public in its JavaScript since 1.0). */
type ContextApiInternals = { _getContextManager?: () => ContextManager };

let cachedRegistration: unknown;
let cachedManager: ContextManager | undefined;

/**
 * The context manager `context.active()` and `context.with()` delegate to, looked up again only when the
 * registration changes, so a traced call skips two global look-ups and version checks. If the API does not
 * expose its accessor, `context` itself (same behaviour, a little slower) is returned.
 */
export function globalContextManager(): Pick<ContextManager, 'active' | 'with'> {
  const registration = (globalThis as Record<symbol, ApiGlobals>)[API_GLOBALS]?.context;
  if (registration === cachedRegistration && cachedManager !== undefined) return cachedManager;
  const accessor = (context as unknown as ContextApiInternals)._getContextManager;
  if (typeof accessor !== 'function') return context;
  cachedManager = accessor.call(context);
  cachedRegistration = registration;
  return cachedManager;
}
