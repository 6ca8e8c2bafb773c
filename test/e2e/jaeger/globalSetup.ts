import { jaegerBinary } from './jaeger';

/** Builds Jaeger once before the suite when it is not in the cache (minutes), outside any test's time limit. */
export default function globalSetup(): void {
  jaegerBinary();
}
