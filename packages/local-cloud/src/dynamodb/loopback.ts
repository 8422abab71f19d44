/**
 * DynamoDB Local has no option for the interface it listens on, and its
 * Jetty binds every interface. LoopbackLauncher.java starts it as its own
 * main class does, with the connector's host set to 127.0.0.1. The launcher
 * is compiled once per machine (javac, from a JDK) into the temp dir; with
 * only a JRE there is no compiler, and the jar is run as-is (every interface).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  mkdtempSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackLauncher.java');
export const LAUNCHER_CLASS = 'LoopbackLauncher';

/** The class-path entry holding the compiled launcher, or why there is none. */
export function loopbackLauncher(
  java: string,
  jar: string,
): { classDir: string } | { reason: string } {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const classDir = join(tmpdir(), `local-cloud-dynamodb-launcher-${hash}`);
  if (existsSync(join(classDir, `${LAUNCHER_CLASS}.class`))) return { classDir };
  const javac = findJavac(java);
  if (!javac)
    return {
      reason:
        'no javac next to java or on PATH (a JRE has none): install a JDK, e.g. `sudo apt-get install openjdk-17-jdk-headless`',
    };
  const building = mkdtempSync(join(tmpdir(), 'local-cloud-dynamodb-launcher-building-'));
  try {
    execFileSync(javac, ['-nowarn', '-cp', jar, '-d', building, SOURCE], { stdio: 'pipe' });
    mkdirSync(dirname(classDir), { recursive: true });
    try {
      renameSync(building, classDir);
    } catch {
      // another start got there first
    }
    return { classDir };
  } catch (e) {
    return {
      reason: `javac failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`,
    };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

function findJavac(java: string): string | undefined {
  const exe = process.platform === 'win32' ? 'javac.exe' : 'javac';
  const candidates = [join(dirname(realpathSync(java)), exe), join(dirname(java), exe)];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter))
    if (dir) candidates.push(join(dir, exe));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}
