// The compact protocol writer (zigzag varints, field deltas, little-endian doubles) checked against the `thrift`
// package's TCompactProtocol reader on arbitrary ids and values.
import fc from 'fast-check';
import { encodeAgentMessages } from '../../src/jaeger/encodeAgentMessages';
import { decodeBinaryBatch, decodeCompactAgentMessage } from '../../../../test/support/jaegerThriftReader';
import { encodeJaegerBatch } from '../../src/jaeger/encodeBatch';
import { recordSpans } from './recordSpans';

const hex = (length: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })
    .filter((s) => /[1-9a-f]/.test(s));

describe('encodeAgentMessages', () => {
  describe('when ids and values are arbitrary', () => {
    it('writes what thrift reads back, in both the compact and the binary protocol', () => {
      fc.assert(
        fc.property(
          hex(32),
          hex(16),
          fc.maxSafeInteger(),
          fc.double({ noNaN: true }).filter((d) => !Number.isSafeInteger(d)),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.integer({ min: 1, max: 40 }),
          (traceId, spanId, int, dbl, str, tagCount) => {
            const attributes: Record<string, number | string> = { int, dbl, str };
            for (let i = 0; i < tagCount; i++) attributes[`k${i}`] = i;
            const spans = recordSpans((tracer) => tracer.startSpan(str, { attributes }).end(), {
              traceIds: [traceId],
              spanIds: [spanId],
            });
            const expected = {
              traceId,
              spanId,
              operationName: str,
              tags: expect.objectContaining({
                int: BigInt(int),
                dbl,
                str,
                [`k${tagCount - 1}`]: BigInt(tagCount - 1),
              }),
            };
            const { payloads } = encodeAgentMessages(spans, 65_000, () => 7);
            const message = decodeCompactAgentMessage(payloads[0].bytes);
            expect(message.seqId).toBe(7);
            expect(message.batch.spans[0]).toMatchObject(expected);
            expect(decodeBinaryBatch(encodeJaegerBatch(spans)).spans[0]).toMatchObject(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
