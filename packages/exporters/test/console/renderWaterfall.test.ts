import { renderWaterfall, toWaterfallSpan, type WaterfallSpan } from '@tracery/exporters';
import { recordSampleTrace } from '../support/sampleTrace';

const span = (overrides: Partial<WaterfallSpan> & Pick<WaterfallSpan, 'spanId' | 'name'>): WaterfallSpan => ({
  traceId: 'a'.repeat(32),
  startTimeMs: 1000,
  durationMs: 10,
  ...overrides,
});

/** The bar of a row: the characters between the two `|`. */
const barOf = (line: string): string => line.slice(line.indexOf('|') + 1, line.lastIndexOf('|'));

describe(renderWaterfall, () => {
  describe('when given the spans of one trace', () => {
    const lines = renderWaterfall(recordSampleTrace().map(toWaterfallSpan)).trimEnd().split('\n');

    it('heads the trace with its id, span count, duration, service and error count', () => {
      expect(lines[0]).toMatch(/^trace [0-9a-f]{32} · 3 spans · 100\.00 ms · service shop · 1 error$/);
    });

    it('draws the tree by parent, children indented under their parent', () => {
      expect(lines.slice(1).map((l) => l.replace(/\s{2,}[\d.]+ m?s .*$/, ''))).toEqual([
        'checkout',
        '└─ charge ✗',
        '   └─ http.request',
      ]);
    });

    it('shows each duration', () => {
      expect(lines[1]).toContain('100.00 ms');
      expect(lines[2]).toContain('50.00 ms');
      expect(lines[3]).toContain('30.00 ms');
    });

    it('places and scales the bars on the trace timeline', () => {
      // 40 columns for 100 ms: charge runs 20-70 ms, http.request 30-60 ms.
      expect(barOf(lines[1])).toBe('█'.repeat(40));
      expect(barOf(lines[2])).toBe(`${' '.repeat(8)}${'█'.repeat(20)}${' '.repeat(12)}`);
      expect(barOf(lines[3])).toBe(`${' '.repeat(12)}${'█'.repeat(12)}${' '.repeat(16)}`);
    });

    it('marks errors with their status message', () => {
      expect(lines[2]).toMatch(/ERROR: card declined$/);
      expect(lines[1]).not.toContain('ERROR');
    });

    it('leaves attributes out unless asked', () => {
      expect(lines.join('\n')).not.toContain('http.method');
    });
  });

  describe('when attributes are asked for', () => {
    it('lists attributes and events under their span', () => {
      const text = renderWaterfall(recordSampleTrace().map(toWaterfallSpan), { attributes: true });
      const lines = text.split('\n');
      const checkoutAt = lines.findIndex((l) => l.startsWith('checkout'));
      const chargeAt = lines.findIndex((l) => l.includes('└─ charge'));
      const attrLines = lines.slice(checkoutAt + 1, chargeAt).map((l) => l.trim());
      expect(attrLines).toEqual([
        '· http.method="POST"',
        '· cart.items=3',
        '· cart.total=12.5',
        '· cart.express=true',
        '· cart.skus=["a", "b"]',
        '· cart.quantities=[1, 2]',
      ]);
      expect(lines[chargeAt + 1].trim()).toBe('◆ retry @ +10.00 ms attempt=2');
    });
  });

  describe('when spans belong to several traces', () => {
    it('renders one block per trace', () => {
      const text = renderWaterfall([
        span({ traceId: '1'.repeat(32), spanId: '1', name: 'first' }),
        span({ traceId: '2'.repeat(32), spanId: '2', name: 'second' }),
      ]);
      const blocks = text.trimEnd().split('\n\n');
      expect(blocks).toHaveLength(2);
      expect(blocks[0]).toContain('first');
      expect(blocks[1]).toContain('second');
    });
  });

  describe('when a parent is missing or parents form a cycle', () => {
    it('shows the orphan as a root and every span of the cycle once', () => {
      const text = renderWaterfall([
        span({ spanId: 'orphan', parentSpanId: 'gone', name: 'orphan' }),
        span({ spanId: 'x', parentSpanId: 'y', name: 'x' }),
        span({ spanId: 'y', parentSpanId: 'x', name: 'y' }),
      ]);
      const rows = text.trimEnd().split('\n').slice(1);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/^orphan/);
      expect(text).toMatch(/\bx\b/);
      expect(text).toMatch(/\by\b/);
    });
  });

  describe('when children are out of order', () => {
    it('sorts siblings by start time and draws ├─ for all but the last', () => {
      const text = renderWaterfall([
        span({ spanId: 'root', name: 'root', startTimeMs: 0, durationMs: 100 }),
        span({ spanId: 'b', parentSpanId: 'root', name: 'late', startTimeMs: 50 }),
        span({ spanId: 'a', parentSpanId: 'root', name: 'early', startTimeMs: 10 }),
      ]);
      const rows = text.trimEnd().split('\n').slice(1);
      expect(rows[1]).toMatch(/^├─ early/);
      expect(rows[2]).toMatch(/^└─ late/);
    });
  });

  describe('when given no spans', () => {
    it('returns an empty string', () => {
      expect(renderWaterfall([])).toBe('');
    });
  });
});
