import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import type { Env } from '@tracery/commons';
import { reportOnce } from '../diagnostics/reportOnce';
import type { PropagationFormat } from '../types';
import { B3Propagator } from './B3Propagator';
import { BaggagePropagator } from './BaggagePropagator';
import { GuardedPropagator } from './GuardedPropagator';
import { JaegerPropagator } from './JaegerPropagator';
import { TraceContextPropagator } from './TraceContextPropagator';

const FORMATS: readonly PropagationFormat[] = ['w3c', 'jaeger', 'b3', 'b3single'];

/**
 * The propagator of a format: `w3c` (W3C trace context, Level 2, and baggage), `jaeger` (`uber-trace-id`,
 * `uberctx-*`), `b3` (multi-header `X-B3-*`) or `b3single` (`b3`). Both B3 variants extract either header
 * style. Each reads only well-formed headers (a malformed one leaves the context unchanged), writes
 * lower-case ids, carries debug flags, B3's deferred and deny states and the W3C random flag across the hop
 * and across formats, and never throws, also when registered as the global propagator. An unknown format is
 * reported once through `diag` and gives `w3c`.
 *
 * @example
 * createPropagator('jaeger').inject(context.active(), headers, defaultTextMapSetter);
 */
export function createPropagator(format: PropagationFormat): TextMapPropagator {
  switch (format) {
    case 'w3c':
      return new GuardedPropagator(
        new CompositePropagator({ propagators: [new TraceContextPropagator(), new BaggagePropagator()] }),
        format,
      );
    case 'jaeger':
      return new GuardedPropagator(new JaegerPropagator(), format);
    case 'b3':
      return new GuardedPropagator(new B3Propagator('multi'), format);
    case 'b3single':
      return new GuardedPropagator(new B3Propagator('single'), format);
    default:
      reportOnce(`propagator:${String(format)}`, `unknown propagation format ${String(format)}; using w3c`);
      return createPropagator('w3c');
  }
}

/** Whether a value names a propagation format. */
export function isPropagationFormat(value: unknown): value is PropagationFormat {
  return FORMATS.includes(value as PropagationFormat);
}

/**
 * The default formats: `format` when given, else those named by `OTEL_PROPAGATORS` (`tracecontext` and
 * `baggage` -> w3c, `b3` -> b3single, `b3multi` -> b3, `jaeger`; others are reported and skipped), else w3c.
 * `OTEL_PROPAGATORS=none` (and no supported entry besides it) gives none: nothing is injected or extracted
 * unless a format is named in the call.
 */
export function defaultPropagationFormats(
  format: PropagationFormat | undefined,
  env: Env = process.env,
): PropagationFormat[] {
  if (format !== undefined) return [format];
  const formats: PropagationFormat[] = [];
  let none = false;
  for (const entry of (env.OTEL_PROPAGATORS ?? '').split(',')) {
    const name = entry.trim().toLowerCase();
    if (name === 'none') none = true;
    const known = formatOfEnvName(name);
    if (known !== undefined && !formats.includes(known)) formats.push(known);
  }
  if (formats.length > 0) return formats;
  return none ? [] : ['w3c'];
}

function formatOfEnvName(name: string): PropagationFormat | undefined {
  switch (name) {
    case '':
    case 'none':
      return undefined;
    case 'tracecontext':
    case 'baggage':
      return 'w3c';
    case 'b3':
      return 'b3single';
    case 'b3multi':
      return 'b3';
    case 'jaeger':
      return 'jaeger';
    default:
      reportOnce(`propagator:env:${name}`, `OTEL_PROPAGATORS entry ${name} is not supported; skipped`);
      return undefined;
  }
}

/** One propagator for several formats (inject writes all, extract reads them in order); none for `[]`. */
export function propagatorForFormats(formats: readonly PropagationFormat[]): TextMapPropagator {
  if (formats.length === 1) return createPropagator(formats[0]);
  return new CompositePropagator({ propagators: formats.map(createPropagator) });
}
