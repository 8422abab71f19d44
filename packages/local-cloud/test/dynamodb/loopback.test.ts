/**
 * Every socket the local cloud listens on (edge, HTTP API, DynamoDB Local's
 * JVM) is bound to loopback: read from /proc, the sockets of this process and
 * of every process it started.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

const LOOPBACK = new Set([
  '0100007F', // 127.0.0.1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
  '00000000000000000000000001000000', // ::1
]);

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, 'utf8'));
      if (m) inodes.add(m[1]!);
    }
  } catch {
    // gone or not ours
  }
  return inodes;
}

/** Listening TCP sockets by inode: local address (hex) and port. */
function listening(): Map<string, { address: string; port: number }> {
  const out = new Map<string, { address: string; port: number }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const [address, port] = f[1]!.split(':');
      out.set(f[9]!, { address: address!, port: parseInt(port!, 16) });
    }
  }
  return out;
}

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0 });
}, 60_000);
afterAll(async () => {
  await cloud?.stop();
});

describe.runIf(existsSync('/proc/net/tcp'))('loopback only', () => {
  it('no socket of the cloud or of the processes it started listens beyond loopback', () => {
    const mine = new Set(descendants(process.pid).flatMap((pid) => [...socketInodes(pid)]));
    const sockets = [...listening()].filter(([inode]) => mine.has(inode)).map(([, s]) => s);
    const ports = sockets.map((s) => s.port);
    expect(ports).toContain(cloud.port);
    expect(ports).toContain(Number(new URL(cloud.dynamodbEndpoint!).port));
    expect(sockets.filter((s) => !LOOPBACK.has(s.address))).toEqual([]);
  });
});
