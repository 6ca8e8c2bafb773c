import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleForNode } from '../../../../test/support/bundleSource';
import { killChildren, startNode } from '../../../../test/support/childProcess';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';

// Real processes: what a user sees when FC freezes the instance right after the result, and whether anything of
// ours keeps a finished process alive.
describe('tracedHandler in a real process', () => {
  let workDir: string;
  let program: string;
  let collector: FakeJaegerCollector;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-fc-'));
    program = await bundleForNode(
      path.join(__dirname, 'fixtures', 'invokeThenFreeze.ts'),
      path.join(workDir, 'program.js'),
    );
    collector = await startFakeJaegerCollector();
  });
  afterAll(async () => {
    await killChildren();
    await collector.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  describe('when the instance stops dead right after handing the result back', () => {
    it('has already delivered the invocation and its children to the collector', async () => {
      collector.setBehaviour('accept');
      const child = startNode([program, collector.url, 'f4ee2e', 'freeze', '2000'], { deadlineMs: 15_000 });
      const exit = await child.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(child.lines).toContain(JSON.stringify({ result: 42 }));
      const spans = collector.spans().filter((span) => span.traceId.endsWith('f4ee2e'));
      expect(spans.map((span) => span.operationName).sort()).toEqual(['Checkout.charge', 'checkout-fn']);
    });
  });

  describe('when the collector hangs', () => {
    it('hands the result back and the process still exits by itself', async () => {
      collector.setBehaviour('hang');
      const child = startNode([program, collector.url, 'ba11ed', 'natural', '300'], { deadlineMs: 15_000 });
      const exit = await child.exited;
      expect(child.lines).toContain(JSON.stringify({ result: 42 }));
      expect(exit).toEqual({ code: 0, signal: null });
    });
  });
});
