import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let sqs: SQSClient;
let n = 0;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  sqs = new SQSClient({
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function queue(attributes: Record<string, string> = {}): Promise<string> {
  const r = await sqs.send(
    new CreateQueueCommand({ QueueName: `q-${++n}`, Attributes: attributes }),
  );
  return r.QueueUrl!;
}

async function attrs(url: string): Promise<Record<string, string>> {
  const r = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  return r.Attributes ?? {};
}

async function errorOf(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('queues', () => {
  it('creates, finds, lists and deletes queues with URLs on the edge', async () => {
    const url = await queue();
    const name = url.split('/').at(-1)!;
    expect(url).toBe(`${cloud.endpoint}/000000000000/${name}`);
    const got = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    expect(got.QueueUrl).toBe(url);
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(listed.QueueUrls).toEqual([url]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const err = await errorOf(sqs.send(new GetQueueUrlCommand({ QueueName: name })));
    expect(err.name).toBe('QueueDoesNotExist');
  });

  it('pages ListQueues with MaxResults and NextToken', async () => {
    const prefix = `page-${Date.now()}`;
    for (const s of ['a', 'b', 'c'])
      await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${s}` }));
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    expect(first.QueueUrls).toHaveLength(2);
    const second = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('stores, echoes and validates attributes', async () => {
    const dlq = await queue();
    const dlqArn = (await attrs(dlq))['QueueArn']!;
    expect(dlqArn).toMatch(/^arn:aws:sqs:us-east-1:000000000000:q-\d+$/);
    const url = await queue({
      VisibilityTimeout: '45',
      DelaySeconds: '2',
      MessageRetentionPeriod: '600',
      ReceiveMessageWaitTimeSeconds: '3',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '4' }),
      KmsMasterKeyId: 'alias/aws/sqs',
    });
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: dlq,
        Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) },
      }),
    );
    const a = await attrs(url);
    expect(a).toMatchObject({
      VisibilityTimeout: '45',
      DelaySeconds: '2',
      MessageRetentionPeriod: '600',
      ReceiveMessageWaitTimeSeconds: '3',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }),
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
      MaximumMessageSize: '1048576',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    expect((await attrs(dlq))['RedriveAllowPolicy']).toBe('{"redrivePermission":"allowAll"}');
    const some = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(some.Attributes).toEqual({ VisibilityTimeout: '45' });

    const bad = await errorOf(
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { VisibilityTimeout: '50000' },
        }),
      ),
    );
    expect(bad.name).toBe('InvalidAttributeValue');
    const unknown = await errorOf(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as 'All'] })),
    );
    expect(unknown.name).toBe('InvalidAttributeName');
    const noDlq = await errorOf(
      queue({
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing',
          maxReceiveCount: 1,
        }),
      }),
    );
    expect(noDlq.message).toMatch(/Dead letter target does not exist/);
  });

  it('answers CreateQueue idempotently, and refuses a different attribute value', async () => {
    const name = `idem-${Date.now()}`;
    const a = await sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '1' } }),
    );
    const b = await sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '1' } }),
    );
    expect(b.QueueUrl).toBe(a.QueueUrl);
    const err = await errorOf(
      sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: '2' } })),
    );
    expect(err.name).toBe('QueueNameExists');
    expect(err.message).toMatch(/DelaySeconds/);
  });

  it('tags queues', async () => {
    const name = `tagged-${Date.now()}`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: name, tags: { team: 'shop' } }),
    );
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'local' } }));
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    expect(tags.Tags).toEqual({ team: 'shop', env: 'local' });
  });

  it('names the missing queue error as the SDK expects', async () => {
    const err = await errorOf(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: `${cloud.endpoint}/000000000000/nope`,
          MessageBody: 'x',
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
  });
});

describe('messages', () => {
  it('sends and receives with message attributes, system attributes and checksums', async () => {
    const url = await queue();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'héllo wörld',
        MessageAttributes: {
          n: { DataType: 'Number', StringValue: '42' },
          b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
          s: { DataType: 'String.custom', StringValue: 'hello' },
        },
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' },
        },
      }),
    );
    // Reference value from an independent implementation (npm aws-md5-of-message-attributes).
    expect(sent.MD5OfMessageAttributes).toBe('8f9d61a2f0072d8b3022bcbb6533e47d');
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);

    const before = Date.now();
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const m = got.Messages![0]!;
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.Body).toBe('héllo wörld');
    expect(m.MD5OfMessageAttributes).toBe('8f9d61a2f0072d8b3022bcbb6533e47d');
    expect(m.MessageAttributes!['b']!.BinaryValue).toEqual(new Uint8Array([1, 2, 3]));
    expect(m.MessageAttributes!['n']).toMatchObject({ DataType: 'Number', StringValue: '42' });
    expect(m.Attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      AWSTraceHeader: 'Root=1-abc',
    });
    expect(Number(m.Attributes!.SentTimestamp)).toBeLessThanOrEqual(before);
    expect(Number(m.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(before);

    const picked = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        VisibilityTimeout: 0,
        MessageAttributeNames: ['n'],
      }),
    );
    expect(picked.Messages).toBeUndefined(); // still in flight from the first receive
  });

  it('selects attributes by name and prefix, and answers the deprecated AttributeNames', async () => {
    const url = await queue();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: {
          'order.id': { DataType: 'String', StringValue: '1' },
          'order.total': { DataType: 'Number', StringValue: '9' },
          other: { DataType: 'String', StringValue: 'y' },
        },
      }),
    );
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        // The deprecated parameter is typed as queue attributes, but carries message ones.
        AttributeNames: ['ApproximateReceiveCount'] as unknown as QueueAttributeName[],
        MessageAttributeNames: ['order.*'],
      }),
    );
    const m = got.Messages![0]!;
    expect(Object.keys(m.MessageAttributes!).sort()).toEqual(['order.id', 'order.total']);
    expect(m.Attributes).toEqual({ ApproximateReceiveCount: '1' });
  });

  it('rejects bad messages clearly', async () => {
    const url = await queue();
    const empty = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })),
    );
    expect(empty.message).toMatch(/MessageBody/);
    const chars = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a\u0001b' })),
    );
    expect(chars.name).toBe('InvalidMessageContents');
    const delay = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })),
    );
    expect(delay.message).toMatch(/DelaySeconds/);
    const big = await errorOf(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1_048_577) })),
    );
    expect(big.message).toMatch(/shorter than 1048576 bytes/);
  });

  it('hides a received message for its visibility timeout, then redelivers it', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'v' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(first.Messages).toHaveLength(1);
    expect(await attrs(url)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(hidden.Messages).toBeUndefined();
    await sleep(1100);
    const again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(again.Messages![0]!.Attributes!.ApproximateReceiveCount).toBe('2');
    expect(again.Messages![0]!.ReceiptHandle).not.toBe(first.Messages![0]!.ReceiptHandle);

    // The older receipt handle no longer deletes (SQS: succeeds, deletes nothing).
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle }),
    );
    expect((await attrs(url))['ApproximateNumberOfMessagesNotVisible']).toBe('1');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle }),
    );
    expect((await attrs(url))['ApproximateNumberOfMessagesNotVisible']).toBe('0');
  });

  it('changes visibility: 0 makes a message available at once, longer keeps it hidden', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c' }));
    const r1 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const h1 = r1.Messages![0]!.ReceiptHandle!;
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: h1,
        VisibilityTimeout: 0,
      }),
    );
    const r2 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(r2.Messages).toHaveLength(1);
    const h2 = r2.Messages![0]!.ReceiptHandle!;
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: h2,
        VisibilityTimeout: 30,
      }),
    );
    await sleep(1100); // past the queue's 1 s timeout
    const r3 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(r3.Messages).toBeUndefined();

    // SQS takes an older receipt handle of the message too (conformance suite, case 6).
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: h1,
        VisibilityTimeout: 0,
      }),
    );
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
    const garbage = await errorOf(
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-handle' })),
    );
    expect(garbage.name).toBe('ReceiptHandleIsInvalid');
  });

  it('long polling wakes when a message is sent', async () => {
    const url = await queue();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await sleep(300);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake' }));
    const got = await polling;
    expect(got.Messages?.[0]?.Body).toBe('wake');
  });

  it('long polling returns empty when nothing arrives', async () => {
    const url = await queue();
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(got.Messages).toBeUndefined();
  });

  it('delays messages per message and per queue', async () => {
    const url = await queue({ DelaySeconds: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue-delay' }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'no-delay', DelaySeconds: 0 }),
    );
    expect(await attrs(url)).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '1',
    });
    const now = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(now.Messages!.map((m) => m.Body)).toEqual(['no-delay']);
    // A long poll picks the delayed message up the moment its delay ends.
    const later = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 3 }));
    expect(later.Messages!.map((m) => m.Body)).toEqual(['queue-delay']);
  });

  it('runs batch operations with per-entry results', async () => {
    const url = await queue();
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 0 },
          { Id: 'bad', MessageBody: 'x', DelaySeconds: 901 },
        ],
      }),
    );
    expect(sent.Successful!.map((e) => e.Id).sort()).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(got.Messages!.map((m) => m.Body).sort()).toEqual(['one', 'two']);

    const [m1, m2] = got.Messages!;
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'm1', ReceiptHandle: m1!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'x', ReceiptHandle: 'bogus', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'm1' }]);
    expect(changed.Failed![0]).toMatchObject({ Id: 'x', Code: 'ReceiptHandleIsInvalid' });

    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'd1', ReceiptHandle: again.Messages![0]!.ReceiptHandle },
          { Id: 'd2', ReceiptHandle: m2!.ReceiptHandle },
        ],
      }),
    );
    expect(deleted.Successful!.map((e) => e.Id).sort()).toEqual(['d1', 'd2']);
    expect(await attrs(url)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('refuses malformed batches as a whole', async () => {
    const url = await queue();
    const empty = await errorOf(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    );
    expect(empty.name).toBe('EmptyBatchRequest');
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    const many = await errorOf(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries })),
    );
    expect(many.name).toBe('TooManyEntriesInBatchRequest');
    const dup = await errorOf(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: 'x' },
            { Id: 'a', MessageBody: 'y' },
          ],
        }),
      ),
    );
    expect(dup.name).toBe('BatchEntryIdsNotDistinct');
    const badId = await errorOf(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [{ Id: 'no spaces', MessageBody: 'x' }],
        }),
      ),
    );
    expect(badId.name).toBe('InvalidBatchEntryId');
  });

  it('purges a queue, at most once a minute', async () => {
    const url = await queue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '2' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await attrs(url)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    const again = await errorOf(sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(again).toMatchObject({ name: 'PurgeQueueInProgress', status: 403 });
  });

  it('delivers through the in-process SqsSink as EventBridge targets do', async () => {
    const url = await queue();
    const arn = cloud.sqs.queueArnFromUrl(url);
    expect(cloud.sqs.queueUrlFromArn(arn)).toBe(url);
    await cloud.sqs.sendMessage(arn, '{"detail":{}}', { RULE_ARN: 'arn:aws:events:rule' });
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }),
    );
    expect(got.Messages![0]!.Body).toBe('{"detail":{}}');
    expect(got.Messages![0]!.MessageAttributes!['RULE_ARN']!.StringValue).toBe(
      'arn:aws:events:rule',
    );
    expect(cloud.sqs.getQueueAttributes(arn)['ApproximateNumberOfMessagesNotVisible']).toBe('1');
    await expect(
      cloud.sqs.sendMessage('arn:aws:sqs:us-east-1:000000000000:missing', 'x'),
    ).rejects.toMatchObject({
      code: 'QueueDoesNotExist',
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    });
  });
});
