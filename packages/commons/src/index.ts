// The parts every Tracery package shares. Not meant to be used directly: @tracery/core, @tracery/exporters and
// @tracery/fc re-export what is public (`ExportPipeline`, `redactUrl`); the rest may change between releases.
export { createReporter, describeError, MAX_REPORT_KEYS } from './diagnostics/reporter';
export type { Reporter, ReportLevel } from './diagnostics/reporter';
export { integerSetting, choiceSetting, booleanSetting, numberVariable } from './environment/settings';
export type { Env, IntegerSetting } from './environment/settings';
export { redactUrl } from './redaction/redactUrl';
export { redactText } from './redaction/redactText';
export { SecretMask, encodedForms, MIN_SECRET_LENGTH } from './redaction/SecretMask';
export {
  rememberSecrets,
  knownSecretsMask,
  forgetSecrets,
  MAX_KNOWN_SECRETS,
} from './redaction/knownSecrets';
export { maskSpans } from './export/maskSpans';
export {
  ExportPipeline,
  DEFAULT_EXPORT_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_EXPORTS,
  DEFAULT_MAX_EXPORT_BATCH_SIZE,
  DEFAULT_MAX_QUEUE_SIZE,
  DEFAULT_SCHEDULED_DELAY_MS,
} from './export/ExportPipeline';
export type {
  BoundedExporter,
  ExportPipelineOptions,
  ExportStats,
  FlushResult,
} from './export/ExportPipeline';
export {
  DESTINATIONS,
  destinationsOf,
  flushPipelines,
  pipelinesFor,
  pipelinesOf,
  registerPipelines,
  sumStats,
} from './export/pipelines';
export { ExportSlot, exportSlotOf, fillExportSlot, registerExportSlot } from './export/exportSlot';
export { settleWithin } from './export/settleWithin';
export { HttpSender, SendFailure, MAX_RESPONSE_BYTES } from './transport/HttpSender';
export type { HttpAnswer, HttpHeaders, HttpSenderOptions } from './transport/HttpSender';
export { isDebugSpan, markDebugSpan } from './export/debugSpans';
export type { Settled } from './export/settleWithin';
export type { MultiDestinationExporter } from './export/pipelines';
export { answer, asError, EXPORT_SUCCESS, exportFailed, isExportSuccess } from './export/exportResults';
export type { DeliveryResult } from './export/exportResults';
