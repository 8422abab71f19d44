import { matchPattern, parsePattern } from '../src/eventbridge/pattern.js';
import { fromRounds, type BenchResult, type Row } from './lib/report.js';
import { geomean, ratios } from './lib/stats.js';
import { rateSync } from './lib/timing.js';
import type { Benchmark } from './lib/types.js';

/** What the pattern benchmark matches: named rule patterns and events as EventBridge sees them. */
export interface PatternWorkload {
  readonly patterns: Readonly<Record<string, unknown>>;
  readonly events: readonly Record<string, unknown>[];
}

/** EventBridge pattern matching, compiled once vs parsed for every event, over a caller's workload. */
export function patternBenchmark(workload: PatternWorkload): Benchmark {
  return {
    name: 'pattern',
    description: 'EventBridge pattern matching: compiled once vs parsed for every event',
    async run(ctx) {
      const rounds = ctx.quick ? 3 : 5;
      const windowMs = ctx.quick ? 60 : 200;
      const events = workload.events;
      const cases = Object.entries(workload.patterns).map(([name, p]) => {
        const text = JSON.stringify(p);
        const compiled = parsePattern(text);
        const hits = events.filter((e) => matchPattern(compiled, e)).length;
        if (hits === 0) throw new Error(`Pattern '${name}' matches none of the sample events.`);
        const compiledStep = () => {
          for (const e of events) matchPattern(compiled, e);
          return events.length;
        };
        const naiveStep = () => {
          for (const e of events) matchPattern(parsePattern(text), e);
          return events.length;
        };
        return {
          name,
          hits,
          compiledStep,
          naiveStep,
          compiled: [] as number[],
          naive: [] as number[],
        };
      });

      ctx.log(`pattern: warming up, then ${rounds} rounds of ${cases.length} patterns`);
      for (const c of cases) {
        rateSync(c.compiledStep, windowMs / 2);
        rateSync(c.naiveStep, windowMs / 2);
      }
      for (let r = 0; r < rounds; r++) {
        for (const c of cases) {
          // Alternate which variant goes first, so neither always runs on a warmer CPU.
          if (r % 2 === 0) {
            c.compiled.push(rateSync(c.compiledStep, windowMs));
            c.naive.push(rateSync(c.naiveStep, windowMs));
          } else {
            c.naive.push(rateSync(c.naiveStep, windowMs));
            c.compiled.push(rateSync(c.compiledStep, windowMs));
          }
        }
      }

      const rows: Row[] = [];
      for (const c of cases) {
        rows.push(fromRounds(`${c.name}: compiled`, c.compiled, 'matches/s'));
        rows.push(fromRounds(`${c.name}: re-parsed`, c.naive, 'matches/s'));
        rows.push(fromRounds(`${c.name}: compiled ÷ re-parsed`, ratios(c.compiled, c.naive), '×'));
      }
      const perRoundGeomean = Array.from({ length: rounds }, (_, r) =>
        geomean(cases.map((c) => c.compiled[r]! / c.naive[r]!)),
      );
      rows.push(fromRounds('all patterns: compiled ÷ re-parsed (geomean)', perRoundGeomean, '×'));
      const result: BenchResult = {
        name: 'pattern',
        rows,
        notes: [
          `${events.length} events (full EventBridge envelope); a match = one pattern tested against one event, hit or miss.`,
          `hits per pattern: ${cases.map((c) => `${c.name} ${c.hits}/${events.length}`).join(', ')}.`,
          `${windowMs} ms per variant per round, variants alternating order; one thread, no I/O.`,
        ],
      };
      return result;
    },
  };
}
