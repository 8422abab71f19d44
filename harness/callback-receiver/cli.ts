/**
 * npm run -s callbacks [-- --port 4020] [--fail-first N]
 *   A loopback receiver for export callbacks: give its URL as `callbackUrl`.
 * npm run -s callbacks -- verify --secret whsec_... [--url http://127.0.0.1:4020/]
 *   Verifies what the running receiver was sent against the export's secret.
 */
import { parseArgs } from 'node:util';
import { DELIVERIES_PATH, startCallbackReceiver, type Delivery } from './server.js';
import { verifyDeliveries } from './verify.js';

const USAGE = `usage: npm run -s callbacks [-- --port 4020] [--fail-first N]
       npm run -s callbacks -- verify --secret whsec_... [--url http://127.0.0.1:4020/]`;

class CliError extends Error {}

async function serve(port: number, failFirst: number): Promise<void> {
  const receiver = await startCallbackReceiver({
    port,
    failFirst,
    onDelivery: (d) => {
      let what = '';
      try {
        const body = JSON.parse(d.body) as { type?: string; data?: { exportId?: string } };
        what = `${body.type ?? ''} ${body.data?.exportId ?? ''}`;
      } catch {
        what = `(not JSON: ${d.body.length} bytes)`;
      }
      console.log(
        `${d.receivedAt}  POST ${d.path}  webhook-id=${d.headers['webhook-id'] ?? '-'}  ${what}  -> ${d.status}`,
      );
    },
  });
  console.log(`callbacks  ${receiver.url}  (use it as callbackUrl; Ctrl-C stops)`);
  console.log(`verify     npm run -s callbacks -- verify --secret <callbackSecret>`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await receiver.close();
}

async function verify(url: string, secret: string | undefined): Promise<boolean> {
  if (!secret?.startsWith('whsec_')) {
    throw new CliError(
      `--secret must be the export's callbackSecret (whsec_...); received ${secret === undefined ? 'none' : `'${secret.slice(0, 10)}…'`}.\n${USAGE}`,
    );
  }
  const res = await fetch(new URL(DELIVERIES_PATH, url)).catch((error: Error) => {
    throw new CliError(
      `No receiver at ${url} (${error.message}); start it with npm run callbacks.`,
    );
  });
  const { deliveries } = (await res.json()) as { deliveries: Delivery[] };
  if (deliveries.length === 0) {
    console.log(`The receiver at ${url} has been sent nothing yet.`);
    return false;
  }
  const verdicts = verifyDeliveries(secret, deliveries);
  for (const v of verdicts) {
    console.log(`${v.verified ? 'verified' : 'REFUSED '}  ${v.webhookId}  ${v.detail}`);
  }
  return verdicts.some((v) => v.verified);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4020' },
      'fail-first': { type: 'string', default: '0' },
      secret: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:4020/' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new CliError(USAGE);
  if (positionals[0] === 'verify') return (await verify(values.url, values.secret)) ? 0 : 1;
  if (positionals.length > 0) {
    throw new CliError(`Unknown command '${positionals.join(' ')}'.\n${USAGE}`);
  }
  const port = Number(values.port);
  const failFirst = Number(values['fail-first']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be a port number (0-65535); received '${values.port}'.`);
  }
  if (!Number.isInteger(failFirst) || failFirst < 0) {
    throw new CliError(
      `--fail-first must be a whole number >= 0; received '${values['fail-first']}'.`,
    );
  }
  await serve(port, failFirst);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof CliError ? error.message : error);
    process.exit(2);
  },
);
