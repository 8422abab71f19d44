/**
 * `npm run chaos -- [options]`: concurrent shoppers against the shop with
 * faults on, then the spec's invariants checked. Exit 0 when none is violated.
 */
import { createWriteStream } from 'node:fs';
import {
  EXIT,
  guarded,
  isEntryPoint,
  parse,
  printJson,
  println,
  runAsScript,
  UsageError,
  type Io,
} from '../../ops/shared/cli.js';
import { DEFAULT_OPTIONS, type ChaosInput } from './options.js';
import { formatReport } from './report.js';
import { runChaos } from './run.js';

const D = DEFAULT_OPTIONS;

const HELP = `Usage: npm run chaos -- [options]

Boots the shop on free ports (or drives a running one), shops with faults on, then
stops the faults, settles, redrives every dead-letter queue, checks every invariant
of the spec and replays the whole archive. Prints a table; exits 1 on any violation.

Shoppers:
  --orders N              Orders to place (default ${D.orders})
  --concurrency C         Shoppers at once (default ${D.concurrency})
  --seed S                Same seed, same script and fault schedule (default ${D.seed})
Faults (local cloud):
  --handler-fault-rate R  Share of invocations that fail: 70% thrown errors, 20% timeouts,
                          10% killed workers (default ${D.handlerFaultRate})
  --kill-rate R           Workers killed mid-batch, instead of a tenth of the above
  --duplicate-rate R      SQS messages delivered twice (default ${D.duplicateRate})
  --reorder-ms MS         Deliveries held back 0..MS so they overtake each other (default ${D.reorderMs})
  --throttle-rate R       PutEvents entries failed as throttled (default ${D.throttleRate})
  --functions A,B         Only these functions get handler faults (default all)
Payment provider:
  --outage-seconds N      Down for N s, from when 30% of the orders are placed (default ${D.outageSeconds})
  --slow-ms MS            Latency of every call while shopping (default ${D.slowMs})
  --decline-rate R        Share of tok_approve charges declined (default ${D.declineRate})
Saga:
  --order-deadline D      Orders neither CONFIRMED nor CANCELLED after D are cancelled TIMED_OUT
                          (10s, 15m, 1h; default the app's 15m); with an outage longer than D,
                          orders time out during it and the report counts them
Timing:
  --visibility-seconds N  Visibility timeout of the subscription queues for the run, restored
                          after; 0 keeps the deployed 60-180 s (default ${D.visibilitySeconds})
  --quiet-ms MS           Settled = queues empty and no new event for MS (default ${D.timing.quietMs})
  --settle-timeout-s N    Give up settling after N s (default ${D.timing.settleTimeoutMs / 1000})
  --no-replay             Skip the archive replay
A running shop (default: boot one on free ports):
  --endpoint URL          The local cloud, e.g. http://127.0.0.1:4566 (also --endpoint-url)
  --api-url URL           The HTTP API (default http://127.0.0.1:3000 with --endpoint)
  --provider-url URL      The provider simulator (default http://127.0.0.1:4010 with --endpoint)
  --webhook-secret KEY    The carrier key (default: read from the local Secrets Manager)
  (Shoppers sign in as the demo customers ada and grace, the catalog and restocks as
  admin, through the user pool of the shop: its demo users must exist, as npm start makes them.)
Output:
  --json                  The report as JSON on stdout (progress on stderr)
  --verbose               Also print the shop's own lines (every injected failure) on stderr
  --function-log FILE     Write every line the functions print to FILE (a shop it boots)
  -h, --help              This help

Examples:
  npm run chaos -- --orders 2000
  npm run -s chaos -- --orders 300 --seed 7 --json > chaos.json
  npm start   # in another terminal, then:
  npm run chaos -- --endpoint http://127.0.0.1:4566 --orders 100 --outage-seconds 10`;

const OPTIONS = {
  orders: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  'handler-fault-rate': { type: 'string' },
  'kill-rate': { type: 'string' },
  'duplicate-rate': { type: 'string' },
  'reorder-ms': { type: 'string' },
  'throttle-rate': { type: 'string' },
  functions: { type: 'string' },
  'outage-seconds': { type: 'string' },
  'order-deadline': { type: 'string' },
  'slow-ms': { type: 'string' },
  'decline-rate': { type: 'string' },
  'visibility-seconds': { type: 'string' },
  'quiet-ms': { type: 'string' },
  'settle-timeout-s': { type: 'string' },
  'no-replay': { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'api-url': { type: 'string' },
  'provider-url': { type: 'string' },
  'webhook-secret': { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'function-log': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the flags into runner options; errors name the flag and what was received. */
export function parseChaosArgs(
  argv: readonly string[],
): ChaosInput & { json: boolean; help: boolean; functionLogFile?: string } {
  const { values: v, positionals } = parse(argv, OPTIONS, 'npm run chaos --');
  if (positionals.length) {
    throw new UsageError(
      `Unexpected argument '${positionals[0]}'; every option is a --flag. Run with --help.`,
    );
  }
  const num = (flag: string, text: string | undefined, kind: 'int' | 'rate' | 'number') => {
    if (text === undefined) return undefined;
    const n = Number(text);
    const ok =
      text.trim() !== '' &&
      Number.isFinite(n) &&
      (kind === 'int'
        ? Number.isInteger(n) && n >= 0
        : kind === 'rate'
          ? n >= 0 && n <= 1
          : n >= 0);
    if (!ok) {
      const want =
        kind === 'int'
          ? 'a whole number (0 or more)'
          : kind === 'rate'
            ? 'a rate from 0 to 1, e.g. 0.2'
            : 'a number of 0 or more';
      throw new UsageError(`--${flag} must be ${want}; received '${text}'.`);
    }
    return n;
  };
  const endpoint = v.endpoint ?? v['endpoint-url'];
  if (!endpoint && (v['api-url'] || v['provider-url'] || v['webhook-secret'])) {
    throw new UsageError(
      '--api-url, --provider-url and --webhook-secret drive a running shop: give its --endpoint too.',
    );
  }
  const url = (flag: string, text: string | undefined, fallback: string) => {
    const value = text ?? fallback;
    if (!URL.canParse(value))
      throw new UsageError(`--${flag} must be a URL like ${fallback}; received '${value}'.`);
    return value.replace(/\/+$/, '');
  };
  const orders = num('orders', v.orders, 'int');
  const concurrency = num('concurrency', v.concurrency, 'int');
  if (orders === 0) throw new UsageError('--orders must be 1 or more.');
  if (concurrency === 0) throw new UsageError('--concurrency must be 1 or more.');
  const settleS = num('settle-timeout-s', v['settle-timeout-s'], 'int');
  return {
    json: v.json,
    help: v.help,
    ...(v['function-log'] && { functionLogFile: v['function-log'] }),
    orders,
    concurrency,
    seed: num('seed', v.seed, 'int'),
    handlerFaultRate: num('handler-fault-rate', v['handler-fault-rate'], 'rate'),
    killRate: num('kill-rate', v['kill-rate'], 'rate'),
    duplicateRate: num('duplicate-rate', v['duplicate-rate'], 'rate'),
    reorderMs: num('reorder-ms', v['reorder-ms'], 'int'),
    throttleRate: num('throttle-rate', v['throttle-rate'], 'rate'),
    functions: v.functions
      ?.split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    outageSeconds: num('outage-seconds', v['outage-seconds'], 'number'),
    orderDeadline: v['order-deadline'],
    slowMs: num('slow-ms', v['slow-ms'], 'int'),
    declineRate: num('decline-rate', v['decline-rate'], 'rate'),
    visibilitySeconds: num('visibility-seconds', v['visibility-seconds'], 'int'),
    replay: !v['no-replay'],
    verbose: v.verbose,
    timing: {
      quietMs: num('quiet-ms', v['quiet-ms'], 'int'),
      settleTimeoutMs: settleS === undefined ? undefined : settleS * 1000,
    },
    ...(endpoint && {
      target: {
        endpoint: url('endpoint', endpoint, 'http://127.0.0.1:4566'),
        apiUrl: url('api-url', v['api-url'], 'http://127.0.0.1:3000'),
        providerUrl: url('provider-url', v['provider-url'], 'http://127.0.0.1:4010'),
        ...(v['webhook-secret'] && { webhookSecret: v['webhook-secret'] }),
      },
    }),
  };
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  return guarded(io, async () => {
    const { json, help, functionLogFile, ...input } = parseChaosArgs(argv);
    if (help) {
      println(io.stdout, HELP);
      return EXIT.ok;
    }
    const started = Date.now();
    const functionLog = functionLogFile ? createWriteStream(functionLogFile) : undefined;
    const report = await runChaos({
      ...input,
      ...(functionLog && {
        functionLog: (label: string, line: string) => functionLog.write(`[${label}] ${line}\n`),
      }),
      signal: io.signal,
      log: (line) =>
        println(io.stderr, `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
    });
    await new Promise((resolve) => (functionLog ? functionLog.end(resolve) : resolve(undefined)));
    if (json) printJson(io, report);
    else println(io.stdout, formatReport(report));
    return report.ok ? EXIT.ok : EXIT.failure;
  });
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
