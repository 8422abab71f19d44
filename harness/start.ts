/**
 * `npm start`: the whole shop on this machine. Synthesizes the CDK app when its
 * sources changed, boots the local cloud, deploys every stack onto it, starts
 * the payment provider simulator, seeds the demo catalog and serves until Ctrl-C.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkPlan,
  FaultInjector,
  FaultPlanError,
  formatSummary,
  type FaultPlan,
} from '@shop/local-cloud';
import { parseOrderDeadline } from '../infra/shop.js';
import { DEMO_CATALOG } from './shop/catalog.js';
import { startShop } from './shop/index.js';

const HELP = `Usage: npm start -- [options]

  --port N           edge port for the AWS APIs (default 4566, or LOCAL_CLOUD_PORT)
  --api-port N       HTTP API port (default 3000)
  --provider-port N  payment provider simulator port (default 4010)
  --persist DIR      keep DynamoDB data in DIR across runs (default: in memory)
  --order-deadline D cancel orders still neither CONFIRMED nor CANCELLED after D with reason
                     TIMED_OUT: 10s, 15m, 1h (5s to 24h; default 15m, the CDK context orderDeadline)
  --no-seed          do not seed the demo catalog
  --verbose          also print the functions' full structured logs
  --quiet            print no line per invocation either (only the loader's messages)
  --faults JSON      start with fault injection on, e.g.
                     '{"seed":1,"handlerErrorRate":0.2,"duplicateRate":0.1,"reorderMaxDelayMs":500}'
                     (fields and ranges: packages/local-cloud/README.md, "Fault injection";
                     change or stop it later with PUT / DELETE <endpoint>/_local/faults)
  -h, --help         this help`;

function faultPlan(value: string | undefined): Partial<FaultPlan> | undefined {
  if (value === undefined) return undefined;
  try {
    return checkPlan(JSON.parse(value));
  } catch (error) {
    const why =
      error instanceof FaultPlanError
        ? error.message
        : `it is not JSON (${(error as Error).message})`;
    console.error(`--faults must be a JSON fault plan: ${why}`);
    process.exit(2);
  }
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${name} must be a port number from 0 to 65535; received "${value}".`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'api-port': { type: 'string' },
        'provider-port': { type: 'string' },
        persist: { type: 'string' },
        'order-deadline': { type: 'string' },
        'no-seed': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        faults: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const plan = faultPlan(values.faults);
  const orderDeadline = values['order-deadline'];
  if (orderDeadline !== undefined) {
    try {
      parseOrderDeadline(orderDeadline);
    } catch (error) {
      console.error(`--order-deadline: ${(error as Error).message}`);
      process.exit(2);
    }
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const started = Date.now();
  const shop = await startShop({
    root,
    cdkOut: join(root, 'cdk.out'),
    port: port('port', values.port ?? process.env.LOCAL_CLOUD_PORT, 4566),
    apiPort: port('api-port', values['api-port'], 3000),
    providerPort: port('provider-port', values['provider-port'], 4010),
    persistDir: values.persist ? resolve(values.persist) : undefined,
    seed: !values['no-seed'],
    orderDeadline,
    // Default: one line per invocation (label, duration, outcome, correlationId); the logs
    // themselves are in the local CloudWatch Logs (aws logs filter-log-events --endpoint-url ...).
    functionLog: values.verbose && !values.quiet ? undefined : () => undefined,
    onInvocation: values.quiet ? undefined : (s) => console.log(formatSummary(s)),
    faults: plan ? new FaultInjector(plan) : undefined,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: shutting down...`);
    shop.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  console.log(`
  HTTP API          ${shop.apiUrl}
  console           ${shop.consoleUrl}   (events live, journeys, queues and dead letters, the catalog)
  AWS endpoint      ${shop.endpoint}   (aws --endpoint-url ${shop.endpoint} ...)
  function logs     aws logs filter-log-events --endpoint-url ${shop.endpoint} --log-group-name /aws/lambda/<function>
  payment provider  ${shop.providerUrl}   (test tokens tok_approve, tok_decline)
  webhook secret    ${shop.webhookSecret}   (signs POST /shipments/{id}/events)
  demo catalog      ${DEMO_CATALOG.map((p) => `${p.sku} (${p.stock})`).join(', ')}
  order deadline    ${orderDeadline ?? '15m'}   (open orders are then cancelled TIMED_OUT)
  fault injection   ${plan ? JSON.stringify(shop.cloud.faults.plan()) : 'off'}   (GET|PUT|DELETE ${shop.endpoint}/_local/faults)

ready in ${((Date.now() - started) / 1000).toFixed(1)} s — Ctrl-C to stop`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message ?? error}`);
  process.exit(1);
});
