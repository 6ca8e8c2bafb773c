import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeAgentMessages } from './encodeAgentMessages';
import { answer, EXPORT_SUCCESS, exportFailure } from './exportResults';
import { FaultLog } from './FaultLog';
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

function positiveInteger(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/**
 * Exports spans to a Jaeger agent over UDP: compact-protocol `Agent.emitBatch` messages (one per resource),
 * split so each datagram fits `maxPacketSize`; a single span larger than that is dropped (reported through
 * `diag`). UDP gives no delivery answer: SUCCESS means the datagrams left this process. Faults are reported
 * once through `diag` until an export succeeds; nothing throws.
 *
 * @example
 * const exporter = new JaegerAgentExporter({ kind: 'jaeger', agent: { host: 'jaeger-agent', port: 6831 } });
 */
export class JaegerAgentExporter implements SpanExporter {
  private readonly host: string;
  private readonly port: number;
  private readonly maxPacketSize: number;
  private readonly timeoutMs: number;
  private readonly faults = new FaultLog('@tracery/exporters Jaeger agent exporter');
  private readonly inFlight = new Set<Promise<void>>();
  private socket: dgram.Socket | undefined;
  private seqId = 0;
  private isShutdown = false;

  constructor(config: JaegerExporterConfig = { kind: 'jaeger' }) {
    this.host = config.agent?.host || DEFAULT_JAEGER_AGENT_HOST;
    this.port = positiveInteger(config.agent?.port, DEFAULT_JAEGER_AGENT_PORT);
    this.maxPacketSize = positiveInteger(config.agent?.maxPacketSize, DEFAULT_JAEGER_MAX_PACKET_SIZE);
    this.timeoutMs = positiveInteger(config.timeoutMs, DEFAULT_TIMEOUT_MS);
  }

  /** Exports sending now (at most `MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT`). */
  get pendingExports(): number {
    return this.inFlight.size;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      answer(resultCallback, exportFailure(new Error('Jaeger exporter is shut down')));
      return;
    }
    if (this.inFlight.size >= MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT) {
      const reason = `${MAX_JAEGER_AGENT_EXPORTS_IN_FLIGHT} exports already sending; spans dropped`;
      this.faults.report('overload', `export to ${this.host}:${this.port}: ${reason}`);
      answer(resultCallback, exportFailure(new Error(`Jaeger agent export failed: ${reason}`)));
      return;
    }
    const pending = this.exportSpans(spans).then((result) => answer(resultCallback, result));
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending));
  }

  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Waits for sends in flight, then closes the UDP socket. Later exports fail at once. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    await this.forceFlush();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
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

  /** Never rejects. */
  private async exportSpans(spans: ReadableSpan[]): Promise<ExportResult> {
    try {
      if (spans.length === 0) return EXPORT_SUCCESS;
      const encoded = encodeAgentMessages(
        spans,
        this.maxPacketSize,
        () => (this.seqId = (this.seqId + 1) | 0),
      );
      if (encoded.droppedSpans > 0) {
        this.faults.report(
          'oversize',
          `${encoded.droppedSpans} span(s) larger than maxPacketSize (${this.maxPacketSize} bytes) dropped`,
        );
      }
      if (encoded.failedSpans > 0) {
        this.faults.report('encode', `${encoded.failedSpans} span(s) could not be read and were dropped`);
      }
      const deadline = Date.now() + this.timeoutMs;
      for (const payload of encoded.payloads) await this.send(payload.bytes, deadline);
      if (encoded.droppedSpans === 0 && encoded.failedSpans === 0) this.faults.recovered();
      return EXPORT_SUCCESS;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const message = `Jaeger agent export to ${this.host}:${this.port} failed: ${reason}`;
      const code = (err as { code?: unknown } | null)?.code;
      this.faults.report(
        typeof code === 'string' ? code : 'send',
        `${message} (spans dropped; reported once)`,
      );
      return exportFailure(new Error(message));
    }
  }

  private send(datagram: Buffer, deadline: number): Promise<void> {
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
