import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { JAEGER_RELEASE, jaegerBinary, startJaeger, type RunningJaeger } from './jaeger/jaeger';

/** The local address (`ip:port`) of every TCP socket listening and every UDP socket bound, by socket inode (Linux /proc). */
function boundSockets(): Map<string, string> {
  const byInode = new Map<string, string>();
  for (const [file, listening] of [
    ['tcp', '0A'],
    ['tcp6', '0A'],
    ['udp', '07'],
    ['udp6', '07'],
  ] as const) {
    const lines = fs.readFileSync(`/proc/net/${file}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state === listening) byInode.set(inode, `${file}:${hexAddress(local)}`);
    }
  }
  return byInode;
}

/** `0100007F:1F90` -> `127.0.0.1:8080`; IPv6 addresses stay in /proc's hex. */
function hexAddress(local: string): string {
  const [ip, port] = local.split(':');
  const address =
    ip.length === 8 ? [3, 2, 1, 0].map((i) => parseInt(ip.slice(i * 2, i * 2 + 2), 16)).join('.') : ip;
  return `${address}:${parseInt(port, 16)}`;
}

function socketInodes(pid: number): string[] {
  return fs
    .readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1])
    .filter((inode): inode is string => inode !== undefined);
}

describe('the Jaeger the e2e suite runs', () => {
  let jaeger: RunningJaeger;

  beforeAll(async () => {
    jaeger = await startJaeger();
  });

  afterAll(async () => {
    await jaeger?.stop();
  });

  it('is the release the suite names', () => {
    const version = JSON.parse(
      execFileSync(jaegerBinary(), ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ) as {
      gitVersion: string;
    };
    expect(version.gitVersion).toBe(JAEGER_RELEASE);
  });

  it('listens on 127.0.0.1 only, on exactly the ports it was given', () => {
    const pid = jaeger.processId()!;
    const sockets = boundSockets();
    const listening = socketInodes(pid)
      .map((inode) => sockets.get(inode))
      .filter((address): address is string => address !== undefined)
      .sort();
    const { thriftCompact, ...tcp } = jaeger.ports;
    expect(listening).toEqual(
      [...Object.values(tcp).map((port) => `tcp:127.0.0.1:${port}`), `udp:127.0.0.1:${thriftCompact}`].sort(),
    );
  });

  it('answers its query API', async () => {
    const response = await fetch(`${jaeger.queryUrl}/api/services`);
    expect(response.status).toBe(200);
  });

  it('is gone once stopped', async () => {
    const pid = jaeger.processId()!;
    await jaeger.stop();
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect(jaeger.processId()).toBeUndefined();
  });
});
