import { TracerService } from '../service/TracerService';
import { TRACING_OPTIONS } from './tokens';

/** The decorator functions of inversify 7 or 8 (CommonJS or ESM build) that make a class injectable. */
export interface InversifyAnnotations {
  decorate(decorators: ClassDecorator, target: typeof TracerService): void;
  decorate(decorators: ParameterDecorator, target: typeof TracerService, parameterIndex: number): void;
  injectable(): ClassDecorator;
  inject(serviceIdentifier: symbol): ParameterDecorator;
  optional(): ParameterDecorator;
}

let annotated = false;

/**
 * Gives `TracerService` the inversify metadata its own `@injectable()` would: injectable, its constructor's
 * `options` injected from `TRACING_OPTIONS` and optional, so `container.bind(TracerService).toSelf()` works.
 * Done once per process: inversify refuses `@injectable` twice on a class, and a program can load both
 * entry points of `@tracery/core/inversify` (its CommonJS and ESM code), whose inversify metadata is shared.
 */
export function annotateTracerService(inversify: InversifyAnnotations): void {
  if (annotated) return;
  annotated = true;
  inversify.decorate(inversify.injectable(), TracerService);
  inversify.decorate(inversify.inject(TRACING_OPTIONS), TracerService, 0);
  inversify.decorate(inversify.optional(), TracerService, 0);
}
