import { readFileSync, readdirSync } from 'node:fs';

/**
 * Processes this one started (at any depth) that run `command` (the DynamoDB Local JVM:
 * 'java'), found through /proc; undefined where there is no /proc (macOS, Windows).
 */
export function descendantPids(command: string): number[] | undefined {
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
    const fields = statFields(pid);
    const ppid = fields && Number(fields[1]);
    if (ppid) parent.set(pid, ppid);
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined; p = parent.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  };
  return pids.filter(
    (pid) => isDescendant(pid) && readProc(`/proc/${pid}/comm`)?.trim() === command,
  );
}

/**
 * CPU time (user + system, all threads) the descendants running `command` have used so far,
 * in milliseconds; undefined without /proc. /proc counts in clock ticks, 100 a second on
 * every Linux build Node supports (USER_HZ).
 */
export function descendantCpuMs(command: string): number | undefined {
  const pids = descendantPids(command);
  if (!pids || pids.length === 0) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    // After the command: state(0) ppid(1) ... utime(11) stime(12).
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/** The fields of /proc/<pid>/stat after the parenthesised command, which may hold spaces. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended while we looked
  }
}
