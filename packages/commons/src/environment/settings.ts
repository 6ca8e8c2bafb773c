import type { Reporter } from '../diagnostics/reporter';

/** The environment settings are read from: `process.env`, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** How one whole-number setting is validated. */
export interface IntegerSetting {
  /** Its name in code (an option), for messages about a bad option value, e.g. `flushTimeoutMs`. */
  option?: string;
  /** The environment variable it is read from when the option is not given, e.g. `TRACERY_FC_FLUSH_TIMEOUT_MS`. */
  variable?: string;
  /** Smallest valid value. */
  min: number;
  /** Largest valid value. */
  max: number;
  /** The value used when the setting is absent or invalid. */
  fallback: number;
  /** Unit named in messages, e.g. `ms`. */
  unit?: string;
}

/** Longest piece of a bad value quoted in a message. */
const MAX_QUOTED = 32;

function quote(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}...` : value;
    return `'${cut}'`;
  }
  return typeof value === 'number' ? String(value) : `a ${typeof value}`;
}

function rejected(reporter: Reporter, name: string, setting: IntegerSetting, value: unknown): number {
  const unit = setting.unit ? ` ${setting.unit}` : '';
  reporter.once(
    `setting:${name}`,
    `${name} must be a whole number from ${setting.min} to ${setting.max}${unit}, got ${quote(value)}; ` +
      `using the default ${setting.fallback}`,
  );
  return setting.fallback;
}

/**
 * The number in environment variable `variable`, or `undefined` when it is not set (unset or blank) or not a valid
 * number: finite, a whole number if `integer`, within `[min, max]` when given. An invalid value is reported once,
 * naming the variable. For settings whose absence is handled further on (a config merged with others); where a
 * default applies, use `integerSetting`.
 */
export function numberVariable(
  reporter: Reporter,
  spec: { variable: string; integer?: boolean; min?: number; max?: number },
  env: Env = process.env,
): number | undefined {
  const raw = env[spec.variable];
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  const value = spec.integer ? (/^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN) : Number(text);
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  if (Number.isFinite(value) && value >= min && value <= max) return value;
  const range = Number.isFinite(min) || Number.isFinite(max) ? ` from ${min} to ${max}` : '';
  reporter.once(
    `setting:${spec.variable}`,
    `${spec.variable} must be ${spec.integer ? 'a whole number' : 'a number'}${range}, got ${quote(raw)}; ignored`,
  );
  return undefined;
}

/**
 * Resolves a whole-number setting: the option given in code, else the environment variable, else the fallback.
 * An option or variable that is not a whole number in `[min, max]` falls back to the default, with one `diag`
 * line naming it (once per process). Never throws. This is the one place settings are validated, so that every
 * package accepts the same values for the same kind of setting.
 */
export function integerSetting(
  reporter: Reporter,
  setting: IntegerSetting,
  optionValue: unknown,
  env: Env = process.env,
): number {
  if (optionValue !== undefined) {
    const name = setting.option ?? setting.variable ?? 'setting';
    if (typeof optionValue === 'number' && Number.isInteger(optionValue)) {
      if (optionValue >= setting.min && optionValue <= setting.max) return optionValue;
    }
    return rejected(reporter, name, setting, optionValue);
  }
  if (setting.variable === undefined) return setting.fallback;
  const raw = env[setting.variable];
  if (raw === undefined || raw.trim() === '') return setting.fallback;
  const text = raw.trim();
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (value >= setting.min && value <= setting.max) return value;
  return rejected(reporter, setting.variable, setting, raw);
}

/**
 * Resolves a setting that takes one of a few words (case-insensitive in the environment): the option, else the
 * variable, else the fallback; anything else falls back with one `diag` line naming it.
 */
export function choiceSetting<T extends string>(
  reporter: Reporter,
  setting: { option?: string; variable?: string; choices: readonly T[]; fallback: T },
  optionValue: unknown,
  env: Env = process.env,
): T {
  const fromOption = optionValue !== undefined;
  const raw = fromOption ? optionValue : setting.variable === undefined ? undefined : env[setting.variable];
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return setting.fallback;
  const candidate = typeof raw === 'string' ? (fromOption ? raw : raw.trim().toLowerCase()) : raw;
  if ((setting.choices as readonly unknown[]).includes(candidate)) return candidate as T;
  const name = (fromOption ? setting.option : setting.variable) ?? 'setting';
  reporter.once(
    `setting:${name}`,
    `${name} must be one of ${setting.choices.map((c) => `'${c}'`).join(', ')}, got ${quote(raw)}; ` +
      `using '${setting.fallback}'`,
  );
  return setting.fallback;
}

/**
 * Resolves an on/off setting: the option (a boolean), else the variable (`true`/`false`, any case), else the
 * fallback; anything else falls back with one `diag` line naming it.
 */
export function booleanSetting(
  reporter: Reporter,
  setting: { option?: string; variable?: string; fallback: boolean },
  optionValue: unknown,
  env: Env = process.env,
): boolean {
  if (typeof optionValue === 'boolean') return optionValue;
  const word = choiceSetting(
    reporter,
    { ...setting, choices: ['true', 'false'] as const, fallback: setting.fallback ? 'true' : 'false' },
    optionValue,
    env,
  );
  return word === 'true';
}
