import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { createExporter } from '@tracery/exporters';
import { bundleForNode } from '../../../../test/support/bundleSource';
import { captureDiag } from '../../../../test/support/captureDiag';
import { killChildren, startNode } from '../../../../test/support/childProcess';
import { decodeBinaryBatch, type DecodedBatch } from '../../../../test/support/jaegerThriftReader';
import { exportOnce } from '../support/exportOnce';
import { recordSpans } from './recordSpans';

const TOKEN = 'tlsSECRETtoken_77aa';
const PASSWORD = 'tls-pa55word';

// A real TLS server needs a certificate: one is made for 127.0.0.1 with `openssl` at test time. Without
// `openssl` on the machine these tests are skipped (and say so), not faked.
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const describeWithOpenssl = hasOpenssl ? describe : describe.skip;
if (!hasOpenssl) {
  console.warn('JaegerHttpExporter https tests skipped: no openssl on this machine to make a certificate');
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  batch: DecodedBatch;
}

describeWithOpenssl('JaegerHttpExporter over https', () => {
  let workDir: string;
  let certFile: string;
  let server: https.Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-tls-'));
    certFile = path.join(workDir, 'cert.pem');
    const keyFile = path.join(workDir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
    server = https.createServer(
      { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({
            path: req.url ?? '',
            headers: req.headers,
            batch: decodeBinaryBatch(Buffer.concat(chunks)),
          });
          res.writeHead(202).end();
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await killChildren();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(workDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    received.length = 0;
  });

  describe('when the process trusts the collector certificate (NODE_EXTRA_CA_CERTS)', () => {
    it('POSTs the spans over TLS to the token path with basic auth', async () => {
      const program = await bundleForNode(
        path.join(__dirname, 'fixtures', 'exportOverHttps.ts'),
        path.join(workDir, 'exportOverHttps.js'),
      );
      const child = startNode([program, `${base}/adapt_${TOKEN}/api/traces`, 'user', PASSWORD], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
        deadlineMs: 15_000,
      });
      const exit = await child.exited;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(child.lines).toContain(JSON.stringify({ code: ExportResultCode.SUCCESS }));
      expect(received).toHaveLength(1);
      expect(received[0].path).toBe(`/adapt_${TOKEN}/api/traces`);
      expect(received[0].headers['content-type']).toBe('application/x-thrift');
      expect(received[0].headers.authorization).toBe(
        `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`,
      );
      const { serviceName, spans } = received[0].batch;
      expect(serviceName).toBe('https-user');
      const byName = Object.fromEntries(spans.map((s) => [s.operationName, s]));
      expect(Object.keys(byName).sort()).toEqual(['charge', 'checkout']);
      expect(byName.charge.parentSpanId).toBe(byName.checkout.spanId);
    });
  });

  describe('when the collector certificate is not trusted', () => {
    it('refuses to send, reports FAILED without throwing, and keeps the token and password out of errors and diag', async () => {
      const diagCapture = captureDiag(DiagLogLevel.WARN);
      let results: { code: number; error?: string }[];
      try {
        const exporter = createExporter({
          kind: 'jaeger',
          endpoint: `${base}/adapt_${TOKEN}/api/traces`,
          username: 'user',
          password: PASSWORD,
          timeoutMs: 3000,
        });
        const spans = recordSpans((tracer) => tracer.startSpan('secret-work').end());
        results = [];
        for (let i = 0; i < 2; i++) {
          const result = await exportOnce(exporter, spans);
          results.push({ code: result.code, error: result.error?.message });
        }
        await exporter.shutdown();
      } finally {
        diagCapture.restore();
      }

      expect(results.map((r) => r.code)).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
      expect(results[0].error).toMatch(/certificate/i);
      expect(results[0].error).toContain('adapt_***');
      expect(received).toEqual([]); // nothing was sent over an unverified connection
      const everything = `${diagCapture.text()}\n${results.map((r) => r.error).join('\n')}`;
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(PASSWORD);
      // Reporting is the export pipeline's (once per outage): the exporter itself says nothing.
      expect(diagCapture.messages).toEqual([]);
    });
  });
});
