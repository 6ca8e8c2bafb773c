// `@tracery/exporters/otlp`: the OTLP/HTTP exporter alone, without the other exporter kinds.
export { OtlpHttpExporter, DEFAULT_OTLP_URL } from './OtlpHttpExporter';
export type { OtlpCompression, OtlpExporterConfig, OtlpProtocol } from '../types';
