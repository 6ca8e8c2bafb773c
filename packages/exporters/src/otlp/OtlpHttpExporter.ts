import type * as http from 'node:http';
import { promisify } from 'node:util';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HttpSender, integerSetting, redactText, redactUrl } from '@tracery/commons';
import {
  DEFAULT_EXPORT_TIMEOUT_MS,
  PayloadExporter,
  type EncodedPayloads,
  type SendOutcome,
} from '../export/PayloadExporter';
import { exportersReporter } from '../export/reporter';
import type { OtlpExporterConfig } from '../types';

/** Default OTLP/HTTP traces URL (an OpenTelemetry Collector on this machine). */
export const DEFAULT_OTLP_URL = 'http://localhost:4318/v1/traces';

/** The part of OpenTelemetry's OTLP serializers used here: spans to request bytes, response bytes to an object. */
interface TraceSerializer {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
  deserializeResponse(bytes: Uint8Array): ExportResponse;
}

/** An `ExportTraceServiceResponse` as the serializers (or JSON.parse) give it. */
interface ExportResponse {
  partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown };
}

// The trace serializers alone (not the package index, which also loads the metrics and logs serializers and
// the SDKs they need): `@opentelemetry/otlp-transformer` is pinned to an exact version.
function loadSerializer(protocol: 'http/protobuf' | 'http/json'): TraceSerializer {
  if (protocol === 'http/json') {
    const { JsonTraceSerializer } = require('@opentelemetry/otlp-transformer/build/src/trace/json') as {
      JsonTraceSerializer: TraceSerializer;
    };
    return JsonTraceSerializer;
  }
  const { ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer/build/src/trace/protobuf') as {
    ProtobufTraceSerializer: TraceSerializer;
  };
  return ProtobufTraceSerializer;
}

const gzip = promisify(
  require('node:zlib').gzip as (input: Uint8Array, cb: (err: Error | null, out: Buffer) => void) => void,
);

/**
 * Exports spans over OTLP/HTTP (`http/protobuf` or `http/json`, optionally gzip-compressed) to an OpenTelemetry
 * Collector, Jaeger >= 1.35 or Tracing Analysis. The request body is made by OpenTelemetry's own OTLP serializer;
 * the exchange is Tracery's (`HttpSender`): bounded from connect to the last byte of the answer, only 2xx is
 * success, redirects are not followed, the answer read up to 64 KiB. Spans the collector reports rejected in a
 * partial success count as dropped. Settings come from the config only (`exporterFromEnv` reads the
 * `OTEL_EXPORTER_OTLP_*` variables into it).
 */
export class OtlpHttpExporter extends PayloadExporter {
  readonly description: string;
  private readonly sender: HttpSender;
  private readonly serializer: TraceSerializer;
  private readonly compress: boolean;
  private readonly json: boolean;
  private readonly secrets: string[];

  constructor(config: OtlpExporterConfig) {
    super(
      integerSetting(
        exportersReporter,
        { option: 'otlp.timeoutMs', min: 1, max: 2_147_483_647, fallback: DEFAULT_EXPORT_TIMEOUT_MS },
        config.timeoutMs,
      ),
    );
    const protocol = config.protocol ?? 'http/protobuf';
    const url = config.url ?? DEFAULT_OTLP_URL;
    this.serializer = loadSerializer(protocol);
    this.compress = config.compression === 'gzip';
    this.json = protocol === 'http/json';
    const headers: http.OutgoingHttpHeaders = {
      ...(config.headers ?? {}),
      'Content-Type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    };
    if (this.compress) headers['Content-Encoding'] = 'gzip';
    const secrets = Object.values(config.headers ?? {});
    const token = /\/adapt_([^/?#]+)/.exec(url)?.[1];
    if (token) secrets.push(token);
    this.secrets = secrets;
    this.sender = new HttpSender({ url, headers, secrets });
    this.description = `otlp ${protocol} to ${redactUrl(url)}`;
  }

  protected close(): void {
    this.sender.close();
  }

  protected sizeLimit(): string {
    return 'the request size';
  }

  protected encode(spans: ReadableSpan[]): EncodedPayloads {
    const bytes = this.serializer.serializeRequest(spans);
    if (bytes === undefined) return { payloads: [], droppedSpans: 0, failedSpans: spans.length };
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { payloads: [{ bytes: body, spanCount: spans.length }], droppedSpans: 0, failedSpans: 0 };
  }

  protected async send(body: Uint8Array, deadline: number): Promise<SendOutcome> {
    const payload = this.compress ? await gzip(body) : body;
    const answer = await this.sender.post(payload, deadline, { readBody: true });
    return this.partialSuccess(answer.body);
  }

  /** Spans a collector's partial-success answer says it rejected (none when the answer is empty or unreadable). */
  private partialSuccess(body: Uint8Array | undefined): SendOutcome {
    if (body === undefined || body.length === 0) return {};
    let response: ExportResponse;
    try {
      // JSON is read here: the JSON serializer's own reader logs every unreadable answer through `diag`.
      response = this.json
        ? (JSON.parse(new TextDecoder().decode(body)) as ExportResponse)
        : this.serializer.deserializeResponse(body);
    } catch {
      return {};
    }
    const partial = typeof response === 'object' && response !== null ? response.partialSuccess : undefined;
    const rejected = Number(partial?.rejectedSpans ?? 0);
    if (!(rejected > 0) || !Number.isFinite(rejected)) return {};
    const said =
      typeof partial?.errorMessage === 'string' ? redactText(partial.errorMessage, this.secrets, 200) : '';
    return {
      rejectedSpans: rejected,
      rejectedReason: `rejected by the collector${said ? ` (${said})` : ''}`,
    };
  }
}
