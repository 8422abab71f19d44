/**
 * `npx tsx bench/bundles/analyze.ts [service/handler ...]`: builds every function's
 * bundle as CDK does, prints its size, and for each one named, what it is made of
 * (esbuild's metafile analysis, largest inputs first).
 */
import { analyzeMetafile } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { BARE_CLIENT, buildBundle, functionEntries } from './build.js';

/** Output bytes per npm package (or top-level folder of ours), largest first. */
function byPackage(metafile: Metafile): [string, number][] {
  const sums = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1]! : input.split('/').slice(0, 2).join('/');
      sums.set(key, (sums.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
}

const named = process.argv.slice(2);
const entries = [BARE_CLIENT, ...functionEntries()];
const unknown = named.filter((n) => !entries.some((e) => e.name === n));
if (unknown.length > 0) {
  console.error(
    `No function named ${unknown.join(', ')}; choose from: ${entries.map((e) => e.name).join(', ')}`,
  );
  process.exitCode = 2;
} else {
  const out = mkdtempSync(join(tmpdir(), 'bundles-'));
  try {
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`.padStart(8);
    for (const entry of entries) {
      const b = await buildBundle(entry, out);
      console.log(
        `${b.name.padEnd(34)} ${kb(b.bytes)} min ${kb(b.gzipBytes)} gzip ${kb(b.mapBytes)} map`,
      );
      if (!named.includes(entry.name)) continue;
      for (const [pkg, bytes] of byPackage(b.metafile).slice(0, 40)) {
        console.log(`    ${kb(bytes)}  ${pkg}`);
      }
      if (process.env['BUNDLES_VERBOSE']) console.log(await analyzeMetafile(b.metafile));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
