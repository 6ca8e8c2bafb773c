export { TestTracing } from './TestTracing';
export type { TraceShape } from './TestTracing';
