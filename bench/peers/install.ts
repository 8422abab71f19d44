/**
 * The peers the `peers` benchmark compares against, installed on demand into a cache folder of
 * their own (git-ignored), never into the project: they are yardsticks, not dependencies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Exact versions, so two runs compare the same peers. serverless-offline 14 needs Serverless
 * Framework v4, which wants a login over the internet; 13.x is the last line on v3, which runs
 * offline.
 */
export const PEER_VERSIONS = {
  dynalite: '4.0.0',
  serverless: '3.40.0',
  'serverless-offline': '13.9.0',
} as const;

export type Peer = keyof typeof PEER_VERSIONS;

const INSTALL_TIMEOUT_MS = 300_000;

const installedVersion = (dir: string, name: Peer): string | undefined => {
  const file = join(dir, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
};

/** The packages missing from `dir` or at another version than pinned. */
function missingPeers(dir: string): Peer[] {
  return (Object.keys(PEER_VERSIONS) as Peer[]).filter(
    (name) => installedVersion(dir, name) !== PEER_VERSIONS[name],
  );
}

/**
 * Installs the pinned peers into `dir` unless they are there already. Install scripts stay off:
 * none is needed (dynalite runs in memory, so LevelDB's native build is never loaded).
 * Throws with npm's last words when npm fails or takes over 5 minutes.
 */
export async function installPeers(dir: string, log: (m: string) => void): Promise<void> {
  const missing = missingPeers(dir);
  if (missing.length === 0) return;
  log(`peers: installing ${missing.join(', ')} into ${dir} (once; reused by later runs)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'bench-peers', private: true, dependencies: PEER_VERSIONS }, null, 2)}\n`,
  );
  try {
    await promisify(execFile)(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', dir],
      { cwd: dir, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const e = err as { stderr?: string; killed?: boolean; message: string };
    // npm's first error lines say what failed (code, then the cause); its last, where its log is.
    const first = (e.stderr ?? '')
      .split('\n')
      .map((l) => l.replace(/^npm error\s*/, '').trim())
      .filter((l) => l && !l.startsWith('A complete log'))
      .slice(0, 4)
      .join('; ');
    const why = e.killed ? `timed out after ${INSTALL_TIMEOUT_MS / 1000} s` : first || e.message;
    throw new Error(`npm install failed: ${why}`);
  }
  const still = missingPeers(dir);
  if (still.length > 0) throw new Error(`npm install left out ${still.join(', ')}`);
}
