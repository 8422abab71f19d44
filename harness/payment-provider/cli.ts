import { parseArgs } from 'node:util';
import { startPaymentProvider, type ProviderControl } from './server.js';

const USAGE = `Usage: tsx local/payment-provider/cli.ts [--port 4010] [--host 127.0.0.1] [--seed 1]
  [--latency-ms 0] [--failure-rate 0] [--decline-rate 0] [--mode up|down]

Starts the payment provider simulator (API in local/payment-provider/server.ts)
and prints its URL; set PAYMENT_PROVIDER_URL to it. Ctrl-C stops it.`;

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`--${name} is "${raw}"; give a number.\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    'latency-ms': { type: 'string' },
    'failure-rate': { type: 'string' },
    'decline-rate': { type: 'string' },
    mode: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const control: Partial<ProviderControl> = {};
const latencyMs = number('latency-ms', values['latency-ms']);
const failureRate = number('failure-rate', values['failure-rate']);
const declineRate = number('decline-rate', values['decline-rate']);
if (latencyMs !== undefined) control.latencyMs = latencyMs;
if (failureRate !== undefined) control.failureRate = failureRate;
if (declineRate !== undefined) control.declineRate = declineRate;
if (values.mode !== undefined) {
  if (values.mode !== 'up' && values.mode !== 'down') {
    console.error(`--mode is "${values.mode}"; use up or down.\n\n${USAGE}`);
    process.exit(2);
  }
  control.mode = values.mode;
}

const provider = await startPaymentProvider({
  port: number('port', values.port),
  host: values.host,
  seed: number('seed', values.seed),
  control,
  log: (line) => console.log(line),
});
console.log(`Payment provider simulator listening on ${provider.url}`);
console.log(
  `  PAYMENT_PROVIDER_URL=${provider.url}   control: ${provider.url}/_control   ledger: ${provider.url}/_ledger`,
);

const shutdown = () => {
  void provider.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
