// Collects what exporters report through OpenTelemetry's diag logger, for "reported once" assertions.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export interface DiagCapture {
  messages: string[];
  restore(): void;
}

export function captureDiag(): DiagCapture {
  const messages: string[] = [];
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]): void => {
      messages.push(`${level} ${[message, ...args.map(String)].join(' ')}`);
    };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { messages, restore: () => diag.disable() };
}
