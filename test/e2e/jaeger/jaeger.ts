// A real Jaeger v2 for the e2e suite: the binary test/e2e/jaeger/build.sh builds (once, into a cache outside
// the repository), started with test/e2e/jaeger/config.yaml on free ports of 127.0.0.1, awaited until healthy,
// and stopped by `stop()`. It cannot outlive its test process: it is killed when that process dies, however it
// dies, and after `lifetimeMs` in any case.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { JaegerApiTrace } from './jaegerApi';

const BUILD_SCRIPT = path.join(__dirname, 'build.sh');
const CONFIG = path.join(__dirname, 'config.yaml');

/** The release build.sh builds (Jaeger's Go module version v1.76.0). */
export const JAEGER_RELEASE = 'v2.13.0';

/** Most of the process's output kept for error messages, in characters. */
const MAX_LOG_CHARS = 20_000;

export interface JaegerPorts {
  otlpGrpc: number;
  otlpHttp: number;
  thriftHttp: number;
  /** UDP: the agent's `emitBatch` in the compact protocol. */
  thriftCompact: number;
  zipkin: number;
  queryHttp: number;
  queryGrpc: number;
  health: number;
}

export interface RunningJaeger {
  ports: JaegerPorts;
  /** Jaeger Thrift over HTTP: `http://127.0.0.1:<port>/api/traces`. */
  thriftHttpUrl: string;
  /** The UDP agent endpoint (compact protocol). */
  agent: { host: string; port: number };
  /** OTLP over HTTP: `http://127.0.0.1:<port>/v1/traces`. */
  otlpHttpUrl: string;
  /** Zipkin v2: `http://127.0.0.1:<port>/api/v2/spans`. */
  zipkinUrl: string;
  /** The query API's base: `http://127.0.0.1:<port>`. */
  queryUrl: string;
  /**
   * Reads `GET /api/traces/{traceId}` until the trace holds at least `spanCount` spans (Jaeger stores what
   * it receives asynchronously), at most for `timeoutMs` (default 15000); rejects with what it saw.
   */
  waitForTrace(traceId: string, spanCount: number, timeoutMs?: number): Promise<JaegerApiTrace>;
  /** The Jaeger process's id (the child of `timeout`), while it runs. */
  processId(): number | undefined;
  /** What the process wrote so far (the last MAX_LOG_CHARS characters). */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface StartJaegerOptions {
  /** Hard limit of the process's life, in ms. Default 600000 (10 min). */
  lifetimeMs?: number;
  /** Time allowed to become healthy, in ms. Default 60000. */
  startTimeoutMs?: number;
}

/** The binary's path, built first by build.sh when it is not in the cache (that takes minutes). */
export function jaegerBinary(): string {
  return execFileSync('bash', [BUILD_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** Starts Jaeger on free ports; a port taken between choosing it and binding it makes it try again (3 tries). */
export async function startJaeger(options: StartJaegerOptions = {}): Promise<RunningJaeger> {
  const binary = jaegerBinary();
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binary, await freePorts(), options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

async function startOnce(
  binary: string,
  ports: JaegerPorts,
  options: StartJaegerOptions,
): Promise<RunningJaeger> {
  const lifetime = `${Math.ceil((options.lifetimeMs ?? 600_000) / 1000)}s`;
  // `timeout` kills Jaeger after its lifetime, and puts itself and Jaeger in a process group of their own, led
  // by the pid we get. util-linux's `setpriv --pdeathsig` (which then execs the next command in the same
  // process) makes each die with its parent: a test process killed outright takes Jaeger with it.
  const deathSignal = ['--pdeathsig', 'KILL', '--'];
  const command = [...deathSignal, 'timeout', '--signal=KILL', lifetime, 'setpriv', ...deathSignal, binary];
  const child = spawn('setpriv', [...command, '--config', CONFIG], {
    env: { ...process.env, ...portEnvironment(ports) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (hasExited) return;
      killGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceful = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
      ]);
      clearTimeout(timer);
      if (!graceful) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  const base = 'http://127.0.0.1';
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) {
      if (/address already in use/i.test(log))
        throw new PortTakenError(`Jaeger could not bind a port:\n${log}`);
      throw new Error(`Jaeger exited before it was healthy:\n${log}`);
    }
    const status = await getStatus(`${base}:${ports.health}/status`);
    if (status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Jaeger was not healthy within ${options.startTimeoutMs ?? 60_000} ms:\n${log}`);
    }
    await delay(100);
  }

  const queryUrl = `${base}:${ports.queryHttp}`;
  return {
    ports,
    thriftHttpUrl: `${base}:${ports.thriftHttp}/api/traces`,
    agent: { host: '127.0.0.1', port: ports.thriftCompact },
    otlpHttpUrl: `${base}:${ports.otlpHttp}/v1/traces`,
    zipkinUrl: `${base}:${ports.zipkin}/api/v2/spans`,
    queryUrl,
    output: () => log,
    processId: () => (hasExited ? undefined : childrenOf(child.pid)[0]),
    stop,
    async waitForTrace(traceId, spanCount, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      let seen = 'nothing yet';
      for (;;) {
        const answer = await getJson(`${queryUrl}/api/traces/${traceId}`);
        const trace = (answer.body as { data?: JaegerApiTrace[] } | undefined)?.data?.[0];
        if (answer.status === 200 && trace !== undefined) {
          if (trace.spans.length >= spanCount) return trace;
          seen = `${trace.spans.length} spans: ${trace.spans.map((span) => span.operationName).join(', ')}`;
        } else {
          seen = `HTTP ${answer.status}`;
        }
        if (Date.now() > until) {
          throw new Error(
            `trace ${traceId}: expected ${spanCount} spans within ${timeoutMs} ms, saw ${seen}`,
          );
        }
        await delay(100);
      }
    },
  };
}

function portEnvironment(ports: JaegerPorts): Record<string, string> {
  return {
    TRACERY_JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    TRACERY_JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
    TRACERY_JAEGER_THRIFT_HTTP_PORT: String(ports.thriftHttp),
    TRACERY_JAEGER_THRIFT_COMPACT_PORT: String(ports.thriftCompact),
    TRACERY_JAEGER_ZIPKIN_PORT: String(ports.zipkin),
    TRACERY_JAEGER_QUERY_HTTP_PORT: String(ports.queryHttp),
    TRACERY_JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
    TRACERY_JAEGER_HEALTH_PORT: String(ports.health),
  };
}

/** The ids of a process's children, from Linux's /proc. */
function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Free ports of 127.0.0.1, all held open together while choosing so that they differ. */
async function freePorts(): Promise<JaegerPorts> {
  const tcp: net.Server[] = [];
  const names = ['otlpGrpc', 'otlpHttp', 'thriftHttp', 'zipkin', 'queryHttp', 'queryGrpc', 'health'] as const;
  const udp = dgram.createSocket('udp4');
  try {
    const chosen: Partial<JaegerPorts> = {};
    for (const name of names) {
      const server = net.createServer();
      tcp.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      chosen[name] = (server.address() as net.AddressInfo).port;
    }
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve());
    });
    chosen.thriftCompact = udp.address().port;
    return chosen as JaegerPorts;
  } finally {
    udp.close();
    await Promise.all(tcp.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function getStatus(url: string): Promise<number | undefined> {
  return getJson(url).then((answer) => answer.status);
}

/** One GET with a 2 s limit; `status` undefined when no answer came. */
function getJson(url: string): Promise<{ status: number | undefined; body?: unknown }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode, body });
      });
      res.on('error', () => resolve({ status: undefined }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: undefined }));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
