export { parseJaegerSpanContext, formatJaegerSpanContext } from './propagation/jaegerSpanContext';
