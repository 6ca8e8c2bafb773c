import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { integerSetting } from '@tracery/commons';
import { DEFAULT_EXPORT_TIMEOUT_MS, PayloadExporter, type EncodedPayloads } from '../export/PayloadExporter';
import { exportersReporter } from '../export/reporter';
import { encodeAgentMessages } from './encodeAgentMessages';
import type { JaegerExporterConfig } from './types';

/** Default agent host. */
export const DEFAULT_JAEGER_AGENT_HOST = 'localhost';
/** Default agent port: compact Thrift protocol. */
export const DEFAULT_JAEGER_AGENT_PORT = 6831;
/** Default largest datagram, under the 65,507-byte IPv4 UDP limit. */
export const DEFAULT_JAEGER_MAX_PACKET_SIZE = 65_000;

/**
 * Exports spans to a Jaeger agent over UDP: compact-protocol `Agent.emitBatch` messages (one per resource),
 * split so each datagram fits `maxPacketSize`; a single span larger than that is left out (counted in the
 * result). UDP gives no delivery answer: SUCCESS means the datagrams left this process. Nothing throws.
 *
 * @example
 * const exporter = new JaegerAgentExporter({ kind: 'jaeger', agent: { host: 'jaeger-agent', port: 6831 } });
 */
export class JaegerAgentExporter extends PayloadExporter {
  readonly description: string;
  private readonly host: string;
  private readonly port: number;
  private readonly maxPacketSize: number;
  private socket: dgram.Socket | undefined;
  private seqId = 0;

  constructor(config: JaegerExporterConfig = { kind: 'jaeger' }) {
    super(
      integerSetting(
        exportersReporter,
        { option: 'jaeger.timeoutMs', min: 1, max: 2_147_483_647, fallback: DEFAULT_EXPORT_TIMEOUT_MS },
        config.timeoutMs,
      ),
    );
    this.host = config.agent?.host || DEFAULT_JAEGER_AGENT_HOST;
    this.port = integerSetting(
      exportersReporter,
      { option: 'jaeger.agent.port', min: 1, max: 65535, fallback: DEFAULT_JAEGER_AGENT_PORT },
      config.agent?.port,
    );
    this.maxPacketSize = integerSetting(
      exportersReporter,
      {
        option: 'jaeger.agent.maxPacketSize',
        min: 512,
        max: 65_000,
        fallback: DEFAULT_JAEGER_MAX_PACKET_SIZE,
      },
      config.agent?.maxPacketSize,
    );
    this.description = `jaeger agent at ${this.host}:${this.port}`;
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

  protected encode(spans: ReadableSpan[]): EncodedPayloads {
    return encodeAgentMessages(spans, this.maxPacketSize, () => (this.seqId = (this.seqId + 1) | 0));
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

  protected send(datagram: Uint8Array, deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`datagram not sent within ${this.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      timer.unref();
      try {
        this.getSocket().send(datagram, this.port, this.host, (err) => {
          clearTimeout(timer);
          if (err) {
            const code = (err as { code?: unknown }).code;
            reject(new Error(`datagram not sent (${typeof code === 'string' ? code : err.message})`));
          } else resolve();
        });
      } catch (err) {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
}
