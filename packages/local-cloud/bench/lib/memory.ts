import { descendantPids, readProc } from './descendants.js';
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
  const pids = descendantPids(command);
  if (!pids) return undefined;
  let kib = 0;
  let found = false;
  for (const pid of pids) {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readProc(`/proc/${pid}/status`) ?? '');
    if (rss) {
      kib += Number(rss[1]);
      found = true;
    }
  }
  return found ? kib / 1024 : undefined;
}
