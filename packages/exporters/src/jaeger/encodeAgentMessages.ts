import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeBatches, type BatchFraming, type EncodedBatches } from './encodeBatches';
import { CompactProtocolWriter, ThriftMessageType } from './thrift/CompactProtocolWriter';
import { AgentEmitBatch, BatchFields } from './thrift/jaegerSchema';
import { ThriftType } from './thrift/ThriftWriter';

/**
 * Upper bound of the bytes around the Process and the spans: message header (2) + seqid (<= 5) + name
 * (1 + 9) + args field (1) + Batch's process field (1) + spans field (1) + list header (<= 6) + 2 STOPs.
 */
const AGENT_OVERHEAD = 28;
const scratch = new CompactProtocolWriter(64 * 1024);

/**
 * The UDP agent's framing: a compact-protocol message `Agent.emitBatch(1: Batch batch)`, oneway, numbered by
 * `nextSeqId`.
 */
function agentFraming(nextSeqId: () => number): BatchFraming<CompactProtocolWriter> {
  return {
    scratch,
    prefix(process, spanCount) {
      const w = new CompactProtocolWriter(process.length + AGENT_OVERHEAD);
      w.messageBegin(AgentEmitBatch.name, ThriftMessageType.ONEWAY, nextSeqId());
      w.structBegin(); // emitBatch_args
      w.fieldBegin(AgentEmitBatch.batch.type, AgentEmitBatch.batch.id);
      w.structBegin(); // Batch
      w.fieldBegin(BatchFields.process.type, BatchFields.process.id);
      w.raw(process);
      w.fieldBegin(BatchFields.spans.type, BatchFields.spans.id);
      w.listBegin(ThriftType.STRUCT, spanCount);
      return w.view(0, w.length);
    },
    suffix: Buffer.from([ThriftType.STOP, ThriftType.STOP]), // ends Batch, then emitBatch_args
    overhead: (process) => process.length + AGENT_OVERHEAD,
  };
}

/**
 * Encodes spans as Jaeger agent datagrams (compact protocol `emitBatch` messages): one per resource, split so
 * none exceeds `maxPacketSize`; a span that alone exceeds it is left out and counted in `droppedSpans`.
 */
export function encodeAgentMessages(
  spans: readonly ReadableSpan[],
  maxPacketSize: number,
  nextSeqId: () => number,
): EncodedBatches {
  return encodeBatches(spans, agentFraming(nextSeqId), maxPacketSize);
}
