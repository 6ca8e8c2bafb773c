import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { exportFailed } from '../export/exportResults';
import { encodeAgentMessages } from './encodeAgentMessages';
import type { EncodedBatches } from './encodeBatches';
import { JaegerExporterBase, positiveInteger } from './JaegerExporterBase';
import type { JaegerExporterConfig } from './types';

/** Default agent host. */
export const DEFAULT_JAEGER_AGENT_HOST = 'localhost';
/** Default agent port: compact Thrift protocol. */
export const DEFAULT_JAEGER_AGENT_PORT = 6831;
/** Default largest datagram, under the 65,507-byte IPv4 UDP limit. */
export const DEFAULT_JAEGER_MAX_PACKET_SIZE = 65_000;
/** Exports sending at once; beyond it an export fails at once (nothing queues). */
export const MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT = 4;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Exports spans to a Jaeger agent over UDP: compact-protocol `Agent.emitBatch` messages (one per resource),
 * split so each datagram fits `maxPacketSize`; a single span larger than that is dropped (reported through
 * `diag`). UDP gives no delivery answer: SUCCESS means the datagrams left this process. Faults are reported
 * once through `diag` until an export succeeds; nothing throws.
 *
 * @example
 * const exporter = new JaegerAgentExporter({ kind: 'jaeger', agent: { host: 'jaeger-agent', port: 6831 } });
 */
export class JaegerAgentExporter extends JaegerExporterBase {
  private readonly host: string;
  private readonly port: number;
  private readonly maxPacketSize: number;
  protected readonly timeoutMs: number;
  private socket: dgram.Socket | undefined;
  private seqId = 0;

  constructor(config: JaegerExporterConfig = { kind: 'jaeger' }) {
    super('@tracery/exporters Jaeger agent exporter', MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT);
    this.host = config.agent?.host || DEFAULT_JAEGER_AGENT_HOST;
    this.port = positiveInteger(config.agent?.port, DEFAULT_JAEGER_AGENT_PORT);
    this.maxPacketSize = positiveInteger(config.agent?.maxPacketSize, DEFAULT_JAEGER_MAX_PACKET_SIZE);
    this.timeoutMs = positiveInteger(config.timeoutMs, DEFAULT_TIMEOUT_MS);
  }

  /** Closes the UDP socket (after the sends in flight). */
  protected async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  protected sizeLimit(): string {
    return `maxPacketSize (${this.maxPacketSize} bytes)`;
  }

  protected encode(spans: ReadableSpan[]): EncodedBatches {
    return encodeAgentMessages(spans, this.maxPacketSize, () => (this.seqId = (this.seqId + 1) | 0));
  }

  protected overloaded(): ExportResult {
    const reason = `${MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT} exports already sending; spans dropped`;
    this.faults.report('overload', `export to ${this.host}:${this.port}: ${reason}`);
    return exportFailed(new Error(`Jaeger agent export failed: ${reason}`));
  }

  protected failed(err: unknown): ExportResult {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Jaeger agent export to ${this.host}:${this.port} failed: ${reason}`;
    const code = (err as { code?: unknown } | null)?.code;
    this.faults.report(typeof code === 'string' ? code : 'send', `${message} (spans dropped; reported once)`);
    return exportFailed(new Error(message));
  }

  private getSocket(): dgram.Socket {
    if (!this.socket) {
      const socket = dgram.createSocket(isIPv6(this.host) ? 'udp6' : 'udp4');
      // Errors also reach each send's callback; this only keeps an 'error' event from crashing the process.
      socket.on('error', () => undefined);
      socket.unref();
      this.socket = socket;
    }
    return this.socket;
  }

  protected send(datagram: Buffer, deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`datagram not sent within ${this.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      try {
        this.getSocket().send(datagram, this.port, this.host, (err) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        });
      } catch (err) {
        clearTimeout(timer);
        reject(err);
      }
    });
  }
}
