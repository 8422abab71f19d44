/**
 * `npm run bench -- --only bundles`: every function's bundle as CDK builds it (SERVICE_BUNDLING),
 * its size minified and gzipped, and its module load time against a bundle holding only a
 * DynamoDB client (the yardstick: no function can load faster than the one client it needs).
 * Load times are taken in rounds, each round loading every bundle once in a new process, in an
 * order that rotates, so a busy moment of the machine spreads over all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRounds, median, single, type Benchmark, type Row } from '@shop/local-cloud/bench';
import { BARE_CLIENT, buildBundle, functionEntries, type Bundle } from './bundles/build.js';
import { loadMs } from './bundles/load-time.js';

/** The goals of the bundles (issue: smaller functions). */
const GOAL_KB = 300;
const GOAL_LOAD_RATIO = 1.2;

export const bundlesBenchmark: Benchmark = {
  name: 'bundles',
  description: 'each function bundle: size, gzipped size, module load time against a bare client',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 7;
    const out = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
    try {
      const entries = [BARE_CLIENT, ...functionEntries()];
      ctx.log(`bundles: building ${entries.length} bundles with the CDK app's esbuild options`);
      const bundles: Bundle[] = [];
      for (const entry of entries) bundles.push(await buildBundle(entry, out));

      const loads = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
      const mapped: number[] = [];
      const bareMapped: number[] = [];
      ctx.log(`bundles: ${rounds} rounds of loading each in a new process, after one not counted`);
      // The first load of a file reads it from disk; a cold start reads it from the sandbox's.
      for (const b of bundles) await loadMs(b.file);
      for (let r = 0; r < rounds; r++) {
        const order = [
          ...bundles.slice(r % bundles.length),
          ...bundles.slice(0, r % bundles.length),
        ];
        for (const b of order) loads.get(b.name)!.push(await loadMs(b.file));
      }
      // --enable-source-maps costs at load: the largest bundle with and without, interleaved.
      const largest = bundles.slice(1).reduce((a, b) => (b.bytes > a.bytes ? b : a));
      for (let r = 0; r < rounds; r++) {
        mapped.push(await loadMs(largest.file, true));
        bareMapped.push(await loadMs(bundles[0]!.file, true));
      }

      const bare = loads.get(BARE_CLIENT.name)!;
      const kb = (n: number) => n / 1024;
      const rows: Row[] = [];
      for (const b of bundles) {
        const own = loads.get(b.name)!;
        rows.push(single(`${b.name} minified`, kb(b.bytes), 'KB'));
        rows.push(single(`${b.name} gzipped`, kb(b.gzipBytes), 'KB'));
        rows.push(fromRounds(`${b.name} load`, own, 'ms'));
        if (b.name !== BARE_CLIENT.name) {
          rows.push(
            fromRounds(
              `${b.name} load / bare client`,
              own.map((ms, i) => ms / bare[i]!),
              'x',
            ),
          );
        }
      }
      rows.push(
        fromRounds(
          `${largest.name} load --enable-source-maps / bare client`,
          mapped.map((ms, i) => ms / bareMapped[i]!),
          'x',
        ),
      );
      const fns = bundles.slice(1);
      const over = fns.filter((b) => kb(b.bytes) > GOAL_KB);
      const slow = fns.filter((b) => median(loads.get(b.name)!) / median(bare) > GOAL_LOAD_RATIO);
      return {
        name: 'bundles',
        rows,
        notes: [
          `${fns.length} functions; the bare client is one DynamoDB client and a GetItem, bundled the same way`,
          'load: milliseconds to import the bundle in a new node process (the start of node itself excluded); ratios are per round',
          `goals: at most ${GOAL_KB} KB minified (${over.length} over: largest ${largest.name} ${kb(largest.bytes).toFixed(0)} KB), ` +
            `load at most ${GOAL_LOAD_RATIO}x the bare client (${slow.length} over)`,
        ],
      };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
