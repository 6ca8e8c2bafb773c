// Our reader is checked against bytes written by thriftrw from jaeger-client's IDL, not by our own encoder.
import fc from 'fast-check';
import { decodeJaegerBatch } from '../../src/jaeger/decodeBatch';
import { JAEGER_IDL_PATH } from '../../../../test/support/jaegerThriftrw';

const { Thrift } = require('thriftrw') as { Thrift: new (options: object) => any };
const idl = new Thrift({ entryPoint: JAEGER_IDL_PATH, allowFilesystemAccess: true });

function i64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(value);
  return b;
}

function thriftrwEncode(batch: object): Buffer {
  const result = idl.Batch.toBufferResult(batch);
  if (result.err) throw result.err;
  return result.value;
}

const sample = {
  process: {
    serviceName: 'checkout',
    tags: [{ key: 'host.name', vType: 'STRING', vStr: 'h1' }],
  },
  spans: [
    {
      traceIdLow: i64(-2n),
      traceIdHigh: i64(0x0102030405060708n),
      spanId: i64(-0x8000000000000000n),
      parentSpanId: i64(5n),
      operationName: 'GET /cart',
      references: [{ refType: 'FOLLOWS_FROM', traceIdLow: i64(1n), traceIdHigh: i64(0n), spanId: i64(2n) }],
      flags: 1,
      startTime: i64(1_700_000_000_123_456n),
      duration: i64(1500n),
      tags: [
        { key: 's', vType: 'STRING', vStr: 'ü' },
        { key: 'd', vType: 'DOUBLE', vDouble: 2.5 },
        { key: 'b', vType: 'BOOL', vBool: true },
        { key: 'l', vType: 'LONG', vLong: i64(-42n) },
        { key: 'huge', vType: 'LONG', vLong: i64(2n ** 62n) },
        { key: 'bin', vType: 'BINARY', vBinary: Buffer.from([1, 2, 3]) },
      ],
      logs: [
        {
          timestamp: i64(1_700_000_000_200_000n),
          fields: [{ key: 'event', vType: 'STRING', vStr: 'retry' }],
        },
      ],
    },
  ],
};

describe('decodeJaegerBatch', () => {
  describe('when given a batch written by thriftrw', () => {
    const batch = decodeJaegerBatch(thriftrwEncode(sample));

    it('reads the process', () => {
      expect(batch.process).toEqual({
        serviceName: 'checkout',
        tags: [{ key: 'host.name', type: 'STRING', value: 'h1' }],
      });
    });

    it('reads ids as unsigned hex, times as microseconds and the references', () => {
      const [span] = batch.spans;
      expect(span).toMatchObject({
        traceId: '0102030405060708fffffffffffffffe',
        spanId: '8000000000000000',
        parentSpanId: '0000000000000005',
        operationName: 'GET /cart',
        flags: 1,
        startTime: 1_700_000_000_123_456,
        duration: 1500,
        references: [
          { refType: 'FOLLOWS_FROM', traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '2' },
        ],
      });
    });

    it('reads tags of every type (LONG beyond 2^53 as bigint)', () => {
      expect(batch.spans[0].tags).toEqual([
        { key: 's', type: 'STRING', value: 'ü' },
        { key: 'd', type: 'DOUBLE', value: 2.5 },
        { key: 'b', type: 'BOOL', value: true },
        { key: 'l', type: 'LONG', value: -42 },
        { key: 'huge', type: 'LONG', value: 2n ** 62n },
        { key: 'bin', type: 'BINARY', value: new Uint8Array([1, 2, 3]) },
      ]);
    });

    it('reads logs', () => {
      expect(batch.spans[0].logs).toEqual([
        { timestamp: 1_700_000_000_200_000, fields: [{ key: 'event', type: 'STRING', value: 'retry' }] },
      ]);
    });
  });

  describe('when the body is cut short anywhere', () => {
    it('throws an Error for every truncation', () => {
      const body = thriftrwEncode(sample);
      for (let length = 0; length < body.length; length++) {
        expect(() => decodeJaegerBatch(body.subarray(0, length))).toThrow(Error);
      }
    });
  });

  describe('when the body is random bytes', () => {
    it('either decodes or throws an Error, without hanging or over-allocating', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          try {
            decodeJaegerBatch(Buffer.from(bytes));
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('rejects a list that claims more elements than bytes remain', () => {
      // Batch { 1: Process { 1: "s" }, 2: list<struct> of 2^31-1 elements }
      const body = Buffer.from([
        0x0c, 0, 1, 0x0b, 0, 1, 0, 0, 0, 1, 0x73, 0, 0x0f, 0, 2, 0x0c, 0x7f, 0xff, 0xff, 0xff, 0,
      ]);
      expect(() => decodeJaegerBatch(body)).toThrow(/bad list size/);
    });
  });
});
