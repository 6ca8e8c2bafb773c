// Run by test/span/tracedIteration.test.ts in a child process with --expose-gc (bundled by esbuild):
// abandons traced generators and prints the spans that ended once they were garbage-collected.
import { Traced } from '../../src/index';
import { installInMemoryPipeline } from './inMemoryPipeline';

class Feed {
  @Traced()
  *endless() {
    for (let i = 0; ; i++) yield i;
  }

  @Traced()
  async *endlessAsync() {
    for (let i = 0; ; i++) yield i;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const pipeline = installInMemoryPipeline();
  const feed = new Feed();
  await (async () => {
    const generator = feed.endless();
    generator.next();
    generator.next();
    const asyncGenerator = feed.endlessAsync();
    await asyncGenerator.next();
  })();
  const kept = feed.endless();
  kept.next();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 50 && pipeline.spans().length < 2; i++) {
    gc();
    await turn();
  }
  const spans = pipeline.spans().map((span) => ({ name: span.name, attributes: span.attributes }));
  process.stdout.write(`${JSON.stringify({ spans, keptIsOpen: kept !== undefined })}\n`);
  await pipeline.uninstall();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
