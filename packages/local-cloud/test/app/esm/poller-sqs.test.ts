import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessPollerSqs, sdkPollerSqs } from '../../../src/app/esm/poller-sqs.js';
import { startLocalCloud, type LocalCloud } from '../../../src/cloud.js';

let cloud: LocalCloud;
let client: SQSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  client = new SQSClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

async function queue(name: string): Promise<string> {
  const out = (await cloud.sqs.handle('CreateQueue', { QueueName: name })) as { QueueUrl: string };
  return out.QueueUrl;
}

describe('the SQS pollers’ port', () => {
  it('in process and through the SDK, hands over the same message, binary attributes as bytes', async () => {
    const url = await queue('poller-same');
    const send = () =>
      cloud.sqs.handle('SendMessage', {
        QueueUrl: url,
        MessageBody: 'hello',
        MessageAttributes: {
          bin: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 255]).toString('base64') },
          text: { DataType: 'String', StringValue: 'x' },
        },
      });
    const signal = new AbortController().signal;
    const got = [];
    for (const port of [inProcessPollerSqs(cloud.sqs), sdkPollerSqs(client)]) {
      await send();
      const [m] = await port.receive(
        { QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 },
        signal,
      );
      expect(await port.deleteBatch(url, [m!.ReceiptHandle!])).toEqual([]);
      got.push({
        body: m!.Body,
        bin: [...(m!.MessageAttributes!['bin']!.BinaryValue as Uint8Array)],
        text: m!.MessageAttributes!['text']!.StringValue,
        receiveCount: m!.Attributes!['ApproximateReceiveCount'],
      });
    }
    expect(got[0]).toEqual({ body: 'hello', bin: [1, 2, 255], text: 'x', receiveCount: '1' });
    expect(got[1]).toEqual(got[0]);
    expect(await inProcessPollerSqs(cloud.sqs).queueUrl('poller-same', '000000000000')).toBe(url);
  });

  it('in process, a stopped long poll ends at once and takes nothing that arrives after', async () => {
    const url = await queue('poller-abort');
    const abort = new AbortController();
    const started = Date.now();
    const polling = inProcessPollerSqs(cloud.sqs).receive(
      { QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 20 },
      abort.signal,
    );
    setTimeout(() => abort.abort(), 50);
    expect(await polling).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await cloud.sqs.handle('SendMessage', { QueueUrl: url, MessageBody: 'after' });
    expect(cloud.sqs.getQueueAttributes(url, ['ApproximateNumberOfMessages'])).toEqual({
      ApproximateNumberOfMessages: '1',
    });
  });

  it('in process, is not counted as API calls, as AWS’s own pollers are not', async () => {
    const url = await queue('poller-uncounted');
    const before = JSON.stringify(cloud.context.recorder.metrics().calls['SQS'] ?? {});
    await inProcessPollerSqs(cloud.sqs).receive(
      { QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 },
      new AbortController().signal,
    );
    expect(JSON.stringify(cloud.context.recorder.metrics().calls['SQS'] ?? {})).toBe(before);
  });
});
