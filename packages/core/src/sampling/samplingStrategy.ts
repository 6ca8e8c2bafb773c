/**
 * Jaeger's sampling strategies (`sampling.thrift`: `SamplingStrategyResponse`), as a Jaeger agent's or
 * collector's sampling endpoint serves them in JSON, read into checked values.
 */

/** Sample this fraction of new traces. */
export interface ProbabilisticStrategy {
  kind: 'probabilistic';
  /** 0..1. */
  samplingRate: number;
}

/** Sample at most this many new traces per second. */
export interface RateLimitingStrategy {
  kind: 'ratelimiting';
  maxTracesPerSecond: number;
}

/**
 * A sampling rate per operation (span name) with a guaranteed lower bound per operation; the defaults apply
 * to operations not listed.
 */
export interface PerOperationStrategy {
  kind: 'perOperation';
  defaultSamplingProbability: number;
  defaultLowerBoundTracesPerSecond: number;
  /** Operation name to its sampling rate, at most `maxOperations` entries (the first ones served). */
  operations: ReadonlyMap<string, number>;
  /** How many listed operations were left out past `maxOperations`. */
  operationsLeftOut: number;
}

export type SamplingStrategy = ProbabilisticStrategy | RateLimitingStrategy | PerOperationStrategy;

/** Thrift's `SamplingStrategyType` enum, by name or by ordinal (both are seen in JSON encodings). */
const STRATEGY_TYPES: Readonly<Record<string, 'PROBABILISTIC' | 'RATE_LIMITING'>> = {
  PROBABILISTIC: 'PROBABILISTIC',
  RATE_LIMITING: 'RATE_LIMITING',
  0: 'PROBABILISTIC',
  1: 'RATE_LIMITING',
};

type Parsed<T> = { value: T } | { error: string };

/**
 * Reads a parsed JSON `SamplingStrategyResponse`. As Jaeger clients do, `operationSampling` wins when
 * present; else `strategyType` names which of `probabilisticSampling` / `rateLimitingSampling` applies.
 * Rates must be numbers in [0, 1], trace counts numbers >= 0; anything else is an error (the whole response
 * is rejected, so a half-read strategy is never used). Never throws.
 */
export function parseSamplingStrategy(body: unknown, maxOperations: number): Parsed<SamplingStrategy> {
  if (!isRecord(body)) return { error: `the response is ${describe(body)}, not a strategy object` };
  if (body.operationSampling !== undefined && body.operationSampling !== null) {
    return perOperation(body.operationSampling, maxOperations);
  }
  const type = STRATEGY_TYPES[String(body.strategyType)];
  if (type === 'PROBABILISTIC') {
    const rate = rateOf(body.probabilisticSampling, 'probabilisticSampling');
    return 'error' in rate ? rate : { value: { kind: 'probabilistic', samplingRate: rate.value } };
  }
  if (type === 'RATE_LIMITING') {
    const limiting = body.rateLimitingSampling;
    const max = isRecord(limiting) ? limiting.maxTracesPerSecond : undefined;
    if (!isCount(max)) {
      return { error: `rateLimitingSampling.maxTracesPerSecond is ${describe(max)}, not a number >= 0` };
    }
    return { value: { kind: 'ratelimiting', maxTracesPerSecond: max } };
  }
  return { error: `strategyType ${describe(body.strategyType)} is not PROBABILISTIC or RATE_LIMITING` };
}

function perOperation(sampling: unknown, maxOperations: number): Parsed<PerOperationStrategy> {
  if (!isRecord(sampling)) return { error: `operationSampling is ${describe(sampling)}, not an object` };
  const probability = sampling.defaultSamplingProbability;
  if (!isRate(probability)) {
    return { error: `defaultSamplingProbability is ${describe(probability)}, not a number in [0, 1]` };
  }
  const lowerBound = sampling.defaultLowerBoundTracesPerSecond;
  if (!isCount(lowerBound)) {
    return { error: `defaultLowerBoundTracesPerSecond is ${describe(lowerBound)}, not a number >= 0` };
  }
  const listed = sampling.perOperationStrategies ?? [];
  if (!Array.isArray(listed)) return { error: 'perOperationStrategies is not a list' };
  const operations = new Map<string, number>();
  let operationsLeftOut = 0;
  for (const entry of listed) {
    const operation = isRecord(entry) ? entry.operation : undefined;
    if (typeof operation !== 'string') return { error: 'an operation strategy has no operation name' };
    const rate = rateOf(isRecord(entry) ? entry.probabilisticSampling : undefined, `operation ${operation}`);
    if ('error' in rate) return rate;
    if (operations.size < maxOperations || operations.has(operation)) operations.set(operation, rate.value);
    else operationsLeftOut++;
  }
  return {
    value: {
      kind: 'perOperation',
      defaultSamplingProbability: probability,
      defaultLowerBoundTracesPerSecond: lowerBound,
      operations,
      operationsLeftOut,
    },
  };
}

function rateOf(strategy: unknown, where: string): Parsed<number> {
  const rate = isRecord(strategy) ? strategy.samplingRate : undefined;
  return isRate(rate)
    ? { value: rate }
    : { error: `${where}: samplingRate is ${describe(rate)}, not in [0, 1]` };
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && Number.isFinite(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short description for a report: never more than a few characters of what the server sent. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}
