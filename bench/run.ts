/**
 * `npm run bench [-- --quick] [-- --only sqs,pattern] [-- --json]`
 *
 * Benchmarks print figures; they never pass or fail on speed (the machine is shared and
 * noisy). Compare the ratios, each measured between variants interleaved in one process.
 */
import { cpus, loadavg } from 'node:os';
import { bundlesBenchmark } from './bundles.js';
import { consoleBenchmark } from './console.js';
import { costBenchmark } from './cost.js';
import { dynamodbBenchmark } from './dynamodb.js';
import { eventbridgeBenchmark } from './eventbridge.js';
import { exportsBenchmark } from './exports.js';
import { table, type BenchResult, now, type Benchmark } from '@shop/local-cloud/bench';
import { patternBenchmark } from './pattern.js';
import { peersBenchmark } from './peers.js';
import { sagaBenchmark } from './saga.js';
import { sqsBenchmark } from '@shop/local-cloud/bench';
import { startupBenchmark } from './startup.js';

const BENCHMARKS: readonly Benchmark[] = [
  patternBenchmark,
  sqsBenchmark,
  eventbridgeBenchmark,
  dynamodbBenchmark,
  startupBenchmark,
  bundlesBenchmark,
  sagaBenchmark,
  exportsBenchmark,
  costBenchmark,
  consoleBenchmark,
  peersBenchmark,
];

const USAGE = `Usage: npm run bench -- [--quick] [--only <name>[,<name>...]] [--json]
  --quick   about 30 s instead of about 3 minutes (fewer rounds, shorter windows)
  --only    run only these benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}
  --json    also print every result as one JSON document on stdout (tables go to stderr)`;

interface Options {
  quick: boolean;
  json: boolean;
  only: string[] | undefined;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, json: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--json') opts.json = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new UsageError('--only needs a benchmark name.');
      opts.only = [...(opts.only ?? []), ...value.split(',').filter(Boolean)];
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`Unknown argument '${arg}'.`);
  }
  return opts;
}

class UsageError extends Error {}

function select(only: string[] | undefined): Benchmark[] {
  if (!only) return [...BENCHMARKS];
  return only.map((name) => {
    const found = BENCHMARKS.find((b) => b.name === name);
    if (found) return found;
    throw new UsageError(
      `No benchmark named '${name}'; choose from ${BENCHMARKS.map((b) => b.name).join(', ')}.`,
    );
  });
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<number> {
  let opts: Options;
  let chosen: Benchmark[];
  try {
    opts = parseArgs(process.argv.slice(2));
    chosen = select(opts.only);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  // With --json, stdout carries only the JSON document.
  const print = opts.json ? console.error : console.log;
  const log = (m: string) => console.error(`· ${m}`);
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadBefore: loadavg(),
    javaOpts: process.env['LOCAL_CLOUD_JAVA_OPTS'] ?? '(default)',
  };
  print(
    `bench: ${chosen.map((b) => b.name).join(', ')} (${opts.quick ? 'quick' : 'full'}); node ${machine.node}, ${machine.cpus} CPUs, load ${load()}`,
  );

  const started = now();
  const results: BenchResult[] = [];
  const failures: { name: string; error: string }[] = [];
  for (const bench of chosen) {
    const t = now();
    log(`${bench.name}: ${bench.description}`);
    try {
      const result = await bench.run({ quick: opts.quick, log });
      results.push(result);
      print(`\n${table(result)}`);
      log(`${bench.name}: ${((now() - t) / 1000).toFixed(1)} s`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ name: bench.name, error });
      console.error(`\n== ${bench.name} FAILED\n${error}`);
    }
  }
  const totalSeconds = (now() - started) / 1000;
  print(`\ndone in ${totalSeconds.toFixed(1)} s; load ${load()} (1, 5, 15 min)`);
  if (opts.json) {
    const doc = {
      mode: opts.quick ? 'quick' : 'full',
      machine: { ...machine, loadAfter: loadavg() },
      totalSeconds,
      results,
      failures,
    };
    console.log(JSON.stringify(doc, null, 2));
  }
  return failures.length > 0 ? 1 : 0;
}

const code = await main();
process.exitCode = code;
// Every benchmark closes what it starts, so the process ends by itself. If something leaked,
// say what and end anyway rather than hang a CI job; unref'd, this timer alone keeps nothing alive.
setTimeout(() => {
  console.error(
    `bench: still running 5 s after the last benchmark (leaked: ${process.getActiveResourcesInfo().join(', ')}); exiting.`,
  );
  process.exit(code || 1);
}, 5000).unref();
