/**
 * Thrown at start-up for an invalid exporter setting. The message names the setting (`setting`) and what is
 * wrong with it; it never contains the secret value (tokens, passwords, header values are left out, URLs
 * are passed through `redactUrl`).
 */
export class ExporterConfigError extends Error {
  /** The setting at fault: a config path such as `otlp.url` or `[1].timeoutMs`, or an env variable name. */
  readonly setting: string;

  constructor(setting: string, problem: string) {
    super(`@tracery/exporters: ${setting}: ${problem}`);
    this.name = 'ExporterConfigError';
    this.setting = setting;
  }
}
