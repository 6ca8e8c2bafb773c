import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** Every message sent through OpenTelemetry's `diag` at any level, with its arguments stringified. */
export interface DiagCapture {
  messages: { level: string; text: string }[];
  /** All messages and their arguments as one string, to search for secrets. */
  text(): string;
  restore(): void;
}

function stringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message} ${value.stack ?? ''}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  } catch {
    return String(value);
  }
}

export function captureDiag(): DiagCapture {
  const messages: DiagCapture['messages'] = [];
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]): void =>
      void messages.push({ level, text: [message, ...args].map(stringify).join(' ') });
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return {
    messages,
    text: () => messages.map((m) => `${m.level}: ${m.text}`).join('\n'),
    restore: () => diag.disable(),
  };
}
