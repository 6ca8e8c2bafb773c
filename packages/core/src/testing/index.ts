export { TestTracing } from './TestTracing';
export type { TraceShape, TestTracingOptions } from './TestTracing';
