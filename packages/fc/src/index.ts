export { parseFcSpanContext } from './propagation/parseFcSpanContext';
export { fcParentContext } from './propagation/fcParentContext';
export { fcResource } from './resource/fcResource';
export { tracedHandler } from './handlers/tracedHandler';
export { tracedHttpHandler } from './handlers/tracedHttpHandler';
export { tracedInitializer } from './handlers/tracedInitializer';
export { invokeLocal, localContext } from './local/invokeLocal';
export { DEFAULT_FLUSH_TIMEOUT_MS, DEFAULT_SAFETY_MARGIN_MS } from './invocation/settings';
export type {
  FaasTrigger,
  FcAsyncHandler,
  FcCallback,
  FcCallbackHandler,
  FcContext,
  FcContextPolicy,
  FcCredentials,
  FcEventHandler,
  FcFunctionMeta,
  FcHttpHandler,
  FcHttpRequest,
  FcHttpResponse,
  FcInitializer,
  FcParentContextOptions,
  FcServiceMeta,
  FcTracing,
  FcTracingOptions,
  Flushable,
  InvokeLocalOptions,
  LocalTracingOptions,
} from './types';
