// Collects what the packages report through OpenTelemetry's `diag` logger, for "reported once" and "no secret
// in the logs" assertions.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export interface DiagMessage {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  /** The message and its arguments, stringified (an Error with its stack), joined by spaces. */
  text: string;
}

export interface DiagCapture {
  /** Every message received so far, in order. */
  messages: DiagMessage[];
  /** The messages whose text contains `fragment`. */
  including(fragment: string): DiagMessage[];
  /** All messages as one string (`<level>: <text>` a line), to search for secrets. */
  text(): string;
  /** Disables `diag` again. */
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

/** Installs a `diag` logger keeping every message at `logLevel` and above (default: every level). */
export function captureDiag(logLevel: DiagLogLevel = DiagLogLevel.ALL): DiagCapture {
  const messages: DiagMessage[] = [];
  const record =
    (level: DiagMessage['level']) =>
    (message: string, ...args: unknown[]): void =>
      void messages.push({ level, text: [message, ...args].map(stringify).join(' ') });
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel, suppressOverrideMessage: true });
  return {
    messages,
    including: (fragment) => messages.filter((m) => m.text.includes(fragment)),
    text: () => messages.map((m) => `${m.level}: ${m.text}`).join('\n'),
    restore: () => diag.disable(),
  };
}
