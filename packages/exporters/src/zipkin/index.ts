// `@tracery/exporters/zipkin`: the Zipkin v2 exporter alone, without the other exporter kinds.
export { ZipkinExporter, DEFAULT_ZIPKIN_URL } from './ZipkinExporter';
export type { ZipkinExporterConfig } from '../types';
