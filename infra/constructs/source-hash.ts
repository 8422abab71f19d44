import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'cdk.out', '.git', 'coverage']);

function hashTree(root: string, path: string, into: string[]): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) {
    // Whoever needs the file (e.g. NodejsFunction's entry check) reports it better.
    into.push(`${relative(root, path)}:missing`);
    return;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (!SKIP.has(name)) hashTree(root, join(path, name), into);
    }
    return;
  }
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  into.push(`${relative(root, path)}:${hash}`);
}

/**
 * A fingerprint of everything a bundle is built from: the given files and
 * folders (contents and relative paths) plus `extra` (the build options).
 * Used as the asset hash so an unchanged function is not bundled again when
 * `cdk.out` already holds its bundle; any input that changes changes the hash.
 */
export function sourceHash(root: string, paths: readonly string[], extra: string): string {
  const lines: string[] = [];
  for (const path of [...paths].sort()) hashTree(root, path, lines);
  return createHash('sha256').update(lines.join('\n')).update('\n').update(extra).digest('hex');
}
