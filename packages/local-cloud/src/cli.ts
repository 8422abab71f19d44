/**
 * `npm run cloud`: the local cloud alone, empty, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud.js';

const HELP = `Usage: npm run cloud -- [options]

Starts the local cloud (SQS, EventBridge, DynamoDB + Streams) on one port, empty.

Options:
  --port <n>        Port of the edge (default: LOCAL_CLOUD_PORT or 4566; 0 picks a free one)
  --host <addr>     Address to listen on (default 127.0.0.1)
  --persist <dir>   Keep DynamoDB tables on disk under <dir>/dynamodb (default: in memory)
  --account <id>    Account id in ARNs and queue URLs (default 000000000000)
  --region <name>   Region in ARNs (default us-east-1)
  -h, --help        Show this help

Then point any AWS SDK or the AWS CLI at the printed endpoint, e.g.
  aws --endpoint-url http://127.0.0.1:4566 sqs list-queues
`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        persist: { type: 'string' },
        account: { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`--port must be a number from 0 to 65535; received '${values.port}'.`);
      process.exitCode = 2;
      return;
    }
  }

  const cloud = await startLocalCloud({
    port,
    host: values.host,
    persistDir: values.persist,
    accountId: values.account,
    region: values.region,
  });
  const { accountId, region } = cloud.context;
  const storage = values.persist ? `on disk in ${values.persist}` : 'in memory';
  console.log(
    `Local cloud on ${cloud.endpoint} (account ${accountId}, region ${region}; DynamoDB ${storage}; ` +
      `started in ${cloud.startup.totalMs} ms, DynamoDB Local ${cloud.startup.dynamodbMs} ms)`,
  );
  console.log('ready');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal}: stopping the local cloud...`);
    cloud.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Local cloud failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
