import { readFileSync, readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemorySnapshot {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

const MiB = 1024 * 1024;

// `npm run bench` cannot pass --expose-gc through tsx; V8 accepts the flag at run time and a
// fresh context then sees `gc`. Without a collection before each snapshot, heap figures would
// mostly measure garbage that happens not to have been collected yet.
let collect: (() => void) | undefined;
function gc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** This process's memory after a full collection. */
export function snapshot(): MemorySnapshot {
  gc();
  gc();
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / MiB,
    heapUsedMiB: m.heapUsed / MiB,
    heapTotalMiB: m.heapTotal / MiB,
    externalMiB: m.external / MiB,
  };
}

/**
 * Resident memory of this process's descendants running `command` (the DynamoDB Local JVM:
 * 'java'), read from /proc; undefined where there is no /proc (macOS, Windows).
 */
export function descendantRssMiB(command: string): number | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return undefined;
  }
  const parent = new Map<number, number>();
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    // Fields after the parenthesised command: state, ppid, ...
    const ppid = stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parent.set(pid, ppid);
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined; p = parent.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let kib = 0;
  let found = false;
  for (const pid of pids) {
    if (!isDescendant(pid)) continue;
    if (read(`/proc/${pid}/comm`)?.trim() !== command) continue;
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
    if (rss) {
      kib += Number(rss[1]);
      found = true;
    }
  }
  return found ? kib / 1024 : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended while we looked
  }
}
