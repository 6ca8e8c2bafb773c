// Run by test/service/flushOnExit.test.ts in a child process (bundled by esbuild): makes spans through a
// TracerService with a batching exporter and ends without calling shutdown(). The exporter writes each span
// it receives to stdout, so the parent sees what reached it before the process exited.
import { trace } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Traced, TracerService } from '../../src/index';

const mode = process.argv[2] ?? 'exporting';

const exporter: SpanExporter = {
  export(spans: ReadableSpan[], done) {
    for (const span of spans) process.stdout.write(`${JSON.stringify({ exported: span.name })}\n`);
    if (mode === 'hanging') return; // never answers: the export timeout must end the wait
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
};

new TracerService({ serviceName: 'exit-test', exporter });

class Job {
  @Traced()
  async run(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return 1;
  }
}

void new Job().run();

// Another beforeExit listener starting work that ends a span after the first flush began.
let lateDone = false;
process.on('beforeExit', () => {
  if (lateDone) return;
  lateDone = true;
  setImmediate(() => trace.getTracer('child').startSpan('late').end());
});
