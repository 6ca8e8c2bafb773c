// The peer suite's harness: Tracery and the reference tracers of Python, Ruby and Node as programs in their
// own processes, calling each other over HTTP on 127.0.0.1. Every program speaks one protocol:
//   <program> server <codec> <count>          prints `LISTENING <port>`, answers <count> GET requests, each
//                                              with a JSON `SpanReport` of the span it made for the request
//                                              (from the context it extracted), then exits
//   <program> client <codec> <url> <case>...  one call per case (`sampled`, `unsampled`, `debug`), each a new
//                                              trace carrying BAGGAGE where the format can; prints a line
//                                              `CALL {"case", "sent", "received"}` per call, then exits
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleForNode } from '../support/bundleSource';
import { killChildren, listeningPort, startProgram, type RunningChild } from '../support/childProcess';

const SETUP_SCRIPT = path.join(__dirname, 'setup.sh');

/** The baggage every client sets (a space and a `+` in values: where the formats' encodings differ). */
export const BAGGAGE = { tenant: 'acme', note: 'gold silver', sum: '1+1' };

export type Case = 'sampled' | 'unsampled' | 'debug';
export const ALL_CASES: Case[] = ['sampled', 'unsampled', 'debug'];

/** What one side of a call knows of its span. Ids in lower-case hex, trace ids padded to 32 digits. */
export interface SpanReport {
  traceId: string;
  spanId: string;
  /** The span's parent; `null` for a root, or (Tracery, OpenTelemetry) for a span that is not recorded. */
  parentId: string | null;
  sampled: boolean;
  /** `null` where the tracer has no debug flag (OpenTelemetry). */
  debug: boolean | null;
  baggage: Record<string, string>;
  /** The trace headers sent (client) or received (server), names in lower case. */
  headers: Record<string, string>;
  /** Tracery's servers: the headers it sends on from its span, in the format it speaks. */
  onward?: Record<string, string>;
  /** Tracery's servers given a downstream URL: what the downstream server reported. */
  downstream?: SpanReport;
}

export interface Call {
  case: Case;
  sent: SpanReport;
  received: SpanReport;
}

/** A program of the suite: how to start it, and the codec (propagation format) it speaks. */
export interface Program {
  name: string;
  command: string;
  args: string[];
  codec: string;
}

/**
 * The Python of the peers' virtual environment: set by the suite's global setup (which runs setup.sh once),
 * else asked of setup.sh now (it installs what is missing, then only checks).
 */
export function peerPython(): string {
  process.env.TRACERY_PEERS_PYTHON ??= execFileSync('bash', [SETUP_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return process.env.TRACERY_PEERS_PYTHON;
}

export function python(script: string, codec: string): Program {
  return {
    name: `python ${script}`,
    command: peerPython(),
    args: [path.join(__dirname, 'python', script)],
    codec,
  };
}

export function ruby(codec: string): Program {
  return {
    name: 'ruby jaeger_peer.rb',
    command: 'ruby',
    args: [path.join(__dirname, 'ruby', 'jaeger_peer.rb')],
    codec,
  };
}

export function node(script: string, codec: string): Program {
  return {
    name: `node ${script}`,
    command: process.execPath,
    args: [path.join(__dirname, 'node', script)],
    codec,
  };
}

/** Tracery's program (test/peers/fixtures/traceryPeer.ts), bundled once per test file into a temporary directory. */
export class TraceryProgram {
  private constructor(
    private readonly script: string,
    private readonly dir: string,
  ) {}

  static async build(): Promise<TraceryProgram> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracery-peers-'));
    const script = await bundleForNode(
      path.join(__dirname, 'fixtures', 'traceryPeer.ts'),
      path.join(dir, 'traceryPeer.js'),
    );
    return new TraceryProgram(script, dir);
  }

  /** Tracery speaking `format` (one of core's propagation formats). */
  speaking(format: string): Program {
    return { name: `tracery (${format})`, command: process.execPath, args: [this.script], codec: format };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Tracery's peer program for the test file calling this at its top level: built before the file's tests, and after
 * them every child process is stopped and the program removed.
 */
export function traceryForThisFile(): Pick<TraceryProgram, 'speaking'> {
  let program: TraceryProgram | undefined;
  beforeAll(async () => {
    program = await TraceryProgram.build();
  });
  afterAll(async () => {
    await killChildren();
    program?.remove();
  });
  return {
    speaking: (format) => {
      if (program === undefined) throw new Error('the Tracery peer is built in beforeAll');
      return program.speaking(format);
    },
  };
}

export interface ExchangeOptions {
  /** Extra environment of the server / the client. */
  serverEnv?: NodeJS.ProcessEnv;
  clientEnv?: NodeJS.ProcessEnv;
  /** Arguments of the server after its count (Tracery's: a downstream URL to call from each request). */
  serverArgs?: string[];
}

export interface RunningServer {
  process: RunningChild;
  /** `http://127.0.0.1:<port>/peer` */
  url: string;
}

/** Starts `program` as a server answering `count` requests; resolves once it listens. */
export async function startServer(
  program: Program,
  count: number,
  options: Pick<ExchangeOptions, 'serverEnv' | 'serverArgs'> = {},
): Promise<RunningServer> {
  const serverProcess = start(
    program,
    ['server', program.codec, String(count), ...(options.serverArgs ?? [])],
    options.serverEnv,
  );
  try {
    return { process: serverProcess, url: `http://127.0.0.1:${await listeningPort(serverProcess)}/peer` };
  } catch (error) {
    serverProcess.kill();
    throw error;
  }
}

/** Asserts that a program ended well: exit code 0, nothing on stderr. */
export async function expectCleanExit(name: string, running: RunningChild): Promise<void> {
  const { code } = await running.exited;
  if (code !== 0 || running.stderr() !== '') {
    throw new Error(
      `${name}: exit ${code}, stderr:\n${running.stderr()}\nstdout:\n${running.lines.join('\n')}`,
    );
  }
}

/**
 * `client` calls `server` once per case; both run to their end. Resolves with the calls, in case order;
 * rejects (with both processes' output) unless both exit 0 with nothing on stderr.
 */
export async function exchange(
  client: Program,
  server: Program,
  cases: Case[],
  options: ExchangeOptions = {},
): Promise<Call[]> {
  const running = await startServer(server, cases.length, options);
  const clientProcess = start(client, ['client', client.codec, running.url, ...cases], options.clientEnv);
  try {
    await expectCleanExit(`${client.name} (client of ${server.name})`, clientProcess);
  } finally {
    // a client that failed leaves its server waiting for requests that never come
    if (clientProcess.child.exitCode !== 0) running.process.kill();
  }
  await expectCleanExit(`${server.name} (server for ${client.name})`, running.process);
  const calls = clientProcess.lines
    .filter((line) => line.startsWith('CALL '))
    .map((line) => JSON.parse(line.slice('CALL '.length)) as Call);
  if (calls.map((call) => call.case).join() !== cases.join()) {
    throw new Error(`expected calls ${cases.join()}, got:\n${clientProcess.lines.join('\n')}`);
  }
  return calls;
}

function start(program: Program, args: string[], env: NodeJS.ProcessEnv | undefined): RunningChild {
  return startProgram(program.command, [...program.args, ...args], {
    // Python writes no __pycache__ into the repository
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    deadlineMs: 30_000,
  });
}

/** The call of `name` among `calls`. */
export function callOf(calls: Call[], name: Case): Call {
  const call = calls.find((candidate) => candidate.case === name);
  if (call === undefined) throw new Error(`no call '${name}'`);
  return call;
}

/** What the receiving side made of a call: the fields compared. */
export interface Continuation {
  traceId: string;
  /** The server's span: its parent, and (Zipkin's shared spans) its own id. */
  spanId?: string;
  parentId: string | null;
  sampled: boolean;
  debug: boolean | null;
  baggage: Record<string, string>;
}

/**
 * Asserts that the server continued the caller's trace: the same trace id, the caller's span as parent of
 * its span, the same sampled and debug flags and the same baggage, except where `differences` says what the
 * server does instead (each one a disagreement a test names). `shared`: the server joined the caller's span
 * (Zipkin's shared span: the same span id, the caller's parent as parent) instead of starting a child.
 */
export function expectContinued(
  call: Call,
  differences: Partial<Continuation> & { shared?: boolean } = {},
): void {
  const { shared, ...overrides } = differences;
  const { sent, received } = call;
  const expected: Continuation = {
    traceId: sent.traceId,
    ...(shared ? { spanId: sent.spanId, parentId: sent.parentId } : { parentId: sent.spanId }),
    sampled: sent.sampled,
    debug: sent.debug,
    baggage: sent.baggage,
    ...overrides,
  };
  const actual: Continuation = {
    traceId: received.traceId,
    ...(shared ? { spanId: received.spanId } : {}),
    parentId: received.parentId,
    sampled: received.sampled,
    debug: received.debug,
    baggage: received.baggage,
  };
  expect(actual).toEqual(expected);
}
