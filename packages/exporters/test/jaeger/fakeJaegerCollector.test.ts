// The fake collector is the independent decoder of the HTTP tests, so it is checked against bytes written by the
// `thrift` package's own TBinaryProtocol writer (not by our encoder).
import * as http from 'node:http';
import { Int64, TBinaryProtocol, TBufferedTransport, Thrift } from 'thrift';
import {
  startFakeJaegerCollector,
  type FakeJaegerCollector,
} from '../../../../test/support/fakeJaegerCollector';

const { Type } = Thrift;

function i64(value: bigint): Int64 {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  return new Int64(buffer);
}

function thriftWrittenBatch(): Buffer {
  let out: Buffer = Buffer.alloc(0);
  const transport = new TBufferedTransport(undefined, (msg) => {
    if (msg) out = msg;
  });
  const p = new TBinaryProtocol(transport);
  p.writeStructBegin('Batch');
  p.writeFieldBegin('process', Type.STRUCT, 1);
  p.writeStructBegin('Process');
  p.writeFieldBegin('serviceName', Type.STRING, 1);
  p.writeString('svc');
  p.writeFieldEnd();
  p.writeFieldBegin('tags', Type.LIST, 2);
  p.writeListBegin(Type.STRUCT, 1);
  p.writeStructBegin('Tag');
  p.writeFieldBegin('key', Type.STRING, 1);
  p.writeString('host');
  p.writeFieldEnd();
  p.writeFieldBegin('vType', Type.I32, 2);
  p.writeI32(0);
  p.writeFieldEnd();
  p.writeFieldBegin('vStr', Type.STRING, 3);
  p.writeString('h1');
  p.writeFieldEnd();
  p.writeFieldStop();
  p.writeStructEnd();
  p.writeListEnd();
  p.writeFieldEnd();
  p.writeFieldStop();
  p.writeStructEnd();
  p.writeFieldEnd();
  p.writeFieldBegin('spans', Type.LIST, 2);
  p.writeListBegin(Type.STRUCT, 1);
  p.writeStructBegin('Span');
  const ids: [number, bigint][] = [
    [1, -2n],
    [2, 0x0102030405060708n],
    [3, -0x7fffffffffffffffn - 1n],
    [4, 0n],
  ];
  for (const [id, value] of ids) {
    p.writeFieldBegin('id', Type.I64, id);
    p.writeI64(i64(value));
    p.writeFieldEnd();
  }
  p.writeFieldBegin('operationName', Type.STRING, 5);
  p.writeString('op');
  p.writeFieldEnd();
  p.writeFieldBegin('flags', Type.I32, 7);
  p.writeI32(1);
  p.writeFieldEnd();
  p.writeFieldBegin('startTime', Type.I64, 8);
  p.writeI64(i64(1_700_000_000_000_000n));
  p.writeFieldEnd();
  p.writeFieldBegin('duration', Type.I64, 9);
  p.writeI64(i64(1500n));
  p.writeFieldEnd();
  p.writeFieldStop();
  p.writeStructEnd();
  p.writeListEnd();
  p.writeFieldEnd();
  p.writeFieldStop();
  p.writeStructEnd();
  p.flush();
  return out;
}

function post(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('startFakeJaegerCollector', () => {
  let collector: FakeJaegerCollector;
  beforeEach(async () => {
    collector = await startFakeJaegerCollector();
  });
  afterEach(() => collector.close());

  describe('when a batch written by the thrift package arrives', () => {
    it('decodes the process, the ids as unsigned hex and the times', async () => {
      expect(await post(collector.urlWithToken('secret'), thriftWrittenBatch())).toBe(202);
      const [span] = await collector.waitForSpans(1);
      expect(collector.batches[0].serviceName).toBe('svc');
      expect(collector.batches[0].processTags).toEqual({ host: 'h1' });
      expect(span.traceId).toBe('0102030405060708fffffffffffffffe');
      expect(span.traceIdLow).toBe(-2n);
      expect(span.spanId).toBe('8000000000000000');
      expect(span.parentSpanId).toBe('0000000000000000');
      expect(span.operationName).toBe('op');
      expect(span.startTime).toBe(1_700_000_000_000_000n);
      expect(span.duration).toBe(1500n);
      expect(collector.requests[0].path).toBe('/adapt_secret/api/traces');
    });
  });

  describe('when the body is not a batch', () => {
    it('answers 400 and records the decode error', async () => {
      expect(await post(collector.url, Buffer.from('nonsense'))).toBe(400);
      expect(collector.decodeErrors).toHaveLength(1);
      expect(collector.batches).toHaveLength(0);
    });
  });

  describe('when told to answer 500', () => {
    it('answers 500 and keeps nothing', async () => {
      collector.setBehaviour('status500');
      expect(await post(collector.url, thriftWrittenBatch())).toBe(500);
      expect(collector.batches).toHaveLength(0);
    });
  });

  describe('when told to hang', () => {
    it('still closes, destroying the hanging connection', async () => {
      collector.setBehaviour('hang');
      const pending = post(collector.url, thriftWrittenBatch());
      await new Promise<void>((resolve) => {
        const check = (): void => (collector.requests.length ? resolve() : void setImmediate(check));
        check();
      });
      await collector.close();
      await expect(pending).rejects.toThrow();
    });
  });
});
