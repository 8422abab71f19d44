import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

/**
 * The AWS CLI against the edge, as the "done" list asks. Skipped
 * (with a note) where `aws` is not installed; CI images without it still
 * cover the same wire paths through the SDK tests.
 */
const run = promisify(execFile);
const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAws) console.warn('aws-cli.test.ts: `aws` is not on PATH; skipping the AWS CLI checks.');

let cloud: LocalCloud;

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    'aws',
    ['--endpoint-url', cloud.endpoint, '--output', 'json', ...args],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    },
  );
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

describe.skipIf(!hasAws)('AWS CLI', () => {
  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0 });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('creates a queue, sends and receives a message', async () => {
    const { QueueUrl } = await aws('sqs', 'create-queue', '--queue-name', 'cli-queue');
    expect(QueueUrl).toBe(`${cloud.endpoint}/000000000000/cli-queue`);
    const sent = await aws(
      'sqs',
      'send-message',
      '--queue-url',
      String(QueueUrl),
      '--message-body',
      'from the CLI',
    );
    // md5 of 'from the CLI' (md5sum)
    expect(sent['MD5OfMessageBody']).toBe('4f48cda4aced24a2723be5817b1a662d');
    const got = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      String(QueueUrl),
      '--attribute-names',
      'All',
    );
    const messages = got['Messages'] as { Body: string; Attributes: Record<string, string> }[];
    expect(messages[0]!.Body).toBe('from the CLI');
    expect(messages[0]!.Attributes['ApproximateReceiveCount']).toBe('1');
  }, 60_000);

  it('lists DynamoDB tables', async () => {
    expect(await aws('dynamodb', 'list-tables')).toEqual({ TableNames: [] });
  }, 60_000);

  it('reaches EventBridge: list-rules, put-events, test-event-pattern', async () => {
    expect(await aws('events', 'list-rules')).toMatchObject({ Rules: [] });
    const put = await aws(
      'events',
      'put-events',
      '--entries',
      JSON.stringify([{ Source: 'shop.cli', DetailType: 'Ping', Detail: '{"ok":true}' }]),
    );
    expect(put['FailedEntryCount']).toBe(0);
    const tested = await aws(
      'events',
      'test-event-pattern',
      '--event-pattern',
      '{"source":["shop.cli"]}',
      '--event',
      JSON.stringify({
        id: '1',
        account: '000000000000',
        source: 'shop.cli',
        time: '2025-01-01T00:00:00Z',
        region: 'us-east-1',
        'detail-type': 'Ping',
        resources: [],
        detail: {},
      }),
    );
    expect(tested['Result']).toBe(true);
  }, 60_000);
});
