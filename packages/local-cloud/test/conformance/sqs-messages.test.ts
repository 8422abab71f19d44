/**
 * SQS message actions as the API reference describes them: Send, Receive,
 * Delete and ChangeMessageVisibility and their batches (batch rules, ranges,
 * receipt handles), errors over both protocols.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameOnBoth, sleep, sqsFailsBoth, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

async function queue(attributes: Record<string, string> = {}): Promise<string> {
  const out = await c.sqs.send(
    new CreateQueueCommand({ QueueName: c.name('msg'), Attributes: attributes }),
  );
  return out.QueueUrl!;
}

async function receiveOne(url: string, visibility = 30) {
  const got = await c.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: visibility }),
  );
  return got.Messages?.[0];
}

/** A batch action's entries on both protocols: JSON `Entries`, query `<Prefix>.N.<Member>`. */
function batch(prefix: string, entries: Record<string, string>[]) {
  const query: Record<string, string> = {};
  entries.forEach((e, n) => {
    for (const [k, v] of Object.entries(e)) query[`${prefix}.${n + 1}.${k}`] = v;
  });
  return { json: entries, query };
}

const BATCHES = [
  {
    action: 'SendMessageBatch',
    prefix: 'SendMessageBatchRequestEntry',
    entry: (id: string) => ({ Id: id, MessageBody: 'x' }),
  },
  {
    action: 'DeleteMessageBatch',
    prefix: 'DeleteMessageBatchRequestEntry',
    entry: (id: string) => ({ Id: id, ReceiptHandle: 'rh' }),
  },
  {
    action: 'ChangeMessageVisibilityBatch',
    prefix: 'ChangeMessageVisibilityBatchRequestEntry',
    entry: (id: string) => ({ Id: id, ReceiptHandle: 'rh', VisibilityTimeout: '1' }),
  },
];

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
describe.each(BATCHES)('$action batch rules', ({ action, prefix, entry }) => {
  async function fails(entries: Record<string, string>[]) {
    const url = await queue();
    const b = batch(prefix, entries);
    return sqsFailsBoth(
      c.cloud.endpoint,
      action,
      { QueueUrl: url, Entries: b.json },
      { QueueUrl: url, ...b.query },
    );
  }

  it('refuses an empty batch with EmptyBatchRequest', async () => {
    sameOnBoth(await fails([]), {
      code: 'AWS.SimpleQueueService.EmptyBatchRequest',
      status: 400,
      message: 'There should be at least one entry in the request.',
    });
  });

  it('refuses more than 10 entries with TooManyEntriesInBatchRequest', async () => {
    const eleven = Array.from({ length: 11 }, (_, n) => entry(`e${n}`));
    sameOnBoth(await fails(eleven), {
      code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      status: 400,
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
  });

  it('refuses a repeated id with BatchEntryIdsNotDistinct', async () => {
    sameOnBoth(await fails([entry('same'), entry('same')]), {
      code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      status: 400,
      message: 'Id same repeated.',
    });
  });

  it('refuses an id with other characters than [A-Za-z0-9_-], or over 80, with InvalidBatchEntryId', async () => {
    for (const id of ['has space', 'a'.repeat(81)]) {
      sameOnBoth(await fails([entry(id)]), {
        code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
        status: 400,
        message:
          /^A batch entry id can only contain alphanumeric characters, hyphens and underscores\. It can be at most 80 letters long\./,
      });
    }
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
describe('SendMessage', () => {
  it('refuses DelaySeconds outside 0..900 and a body over MaximumMessageSize', async () => {
    const url = await queue({ MaximumMessageSize: '1024' });
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'SendMessage',
        { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 },
        { QueueUrl: url, MessageBody: 'x', DelaySeconds: '901' },
      ),
      { code: 'InvalidParameterValue', status: 400, message: /parameter DelaySeconds is invalid/ },
    );
    const body = 'x'.repeat(1025);
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'SendMessage',
        { QueueUrl: url, MessageBody: body },
        { QueueUrl: url, MessageBody: body },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message:
          /^One or more parameters are invalid\. Reason: Message must be shorter than 1024 bytes\./,
      },
    );
  });

  it('refuses characters outside the allowed Unicode ranges with InvalidMessageContents', async () => {
    const url = await queue();
    const body = 'bell \u0007';
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'SendMessage',
        { QueueUrl: url, MessageBody: body },
        { QueueUrl: url, MessageBody: body },
      ),
      { code: 'InvalidMessageContents', status: 400 },
    );
  });

  it('asks for MessageBody with MissingParameter', async () => {
    const url = await queue();
    sameOnBoth(
      await sqsFailsBoth(c.cloud.endpoint, 'SendMessage', { QueueUrl: url }, { QueueUrl: url }),
      {
        code: 'MissingParameter',
        status: 400,
        message: 'The request must contain the parameter MessageBody.',
      },
    );
  });

  it('holds a delayed message back for DelaySeconds', async () => {
    const url = await queue();
    await c.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }),
    );
    expect(await receiveOne(url)).toBeUndefined();
    await sleep(1100);
    expect((await receiveOne(url))?.Body).toBe('later');
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
describe('ReceiveMessage', () => {
  it.each([
    ['MaxNumberOfMessages', 0],
    ['MaxNumberOfMessages', 11],
    ['WaitTimeSeconds', 21],
    ['WaitTimeSeconds', -1],
    ['VisibilityTimeout', 43_201],
  ])('refuses %s %i with InvalidParameterValue', async (name, value) => {
    const url = await queue();
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'ReceiveMessage',
        { QueueUrl: url, [name]: value },
        { QueueUrl: url, [name]: String(value) },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message: new RegExp(`^Value ${value} for parameter ${name} is invalid\\. Reason: `),
      },
    );
  });

  it('returns at most MaxNumberOfMessages, and hides what it returned for the visibility timeout', async () => {
    const url = await queue();
    await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })),
      }),
    );
    const got = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, VisibilityTimeout: 30 }),
    );
    expect(got.Messages).toHaveLength(2);
    const rest = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(rest.Messages).toHaveLength(1);
  });

  it('waits up to WaitTimeSeconds for a message that arrives meanwhile', async () => {
    const url = await queue();
    const waiting = c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await sleep(100);
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'arrived' }));
    const got = await waiting;
    expect(got.Messages?.[0]?.Body).toBe('arrived');
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
describe('DeleteMessage and ChangeMessageVisibility', () => {
  it('refuses a receipt handle SQS did not issue with ReceiptHandleIsInvalid', async () => {
    const url = await queue();
    for (const [action, extra] of [
      ['DeleteMessage', {}],
      ['ChangeMessageVisibility', { VisibilityTimeout: '1' }],
    ] as const) {
      sameOnBoth(
        await sqsFailsBoth(
          c.cloud.endpoint,
          action,
          { QueueUrl: url, ReceiptHandle: 'not-a-handle', ...extra },
          { QueueUrl: url, ReceiptHandle: 'not-a-handle', ...extra },
        ),
        {
          code: 'ReceiptHandleIsInvalid',
          status: 404,
          message: /^The input receipt handle "not-a-handle" is not a valid receipt handle\./,
        },
      );
    }
  });

  it('deletes a received message, and deleting it again succeeds', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const m = await receiveOne(url, 0);
    await c.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }));
    const again = await c.sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle }),
    );
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(await receiveOne(url)).toBeUndefined();
  });

  it('refuses a VisibilityTimeout over 43200, and makes a message visible again with 0', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const m = await receiveOne(url);
    const handle = m!.ReceiptHandle!;
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'ChangeMessageVisibility',
        { QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 43_201 },
        { QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: '43201' },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message: /parameter VisibilityTimeout is invalid/,
      },
    );
    await c.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: handle,
        VisibilityTimeout: 0,
      }),
    );
    expect((await receiveOne(url))?.Body).toBe('x');
  });
});

describe('the batches, entry by entry', () => {
  it('DeleteMessageBatch fails only the entry with an invalid receipt handle', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const m = await receiveOne(url);
    const out = await c.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'good', ReceiptHandle: m!.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(out.Successful).toEqual([{ Id: 'good' }]);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }),
    ]);
  });

  it('ChangeMessageVisibilityBatch fails only the entry out of range', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const m = await receiveOne(url);
    const out = await c.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'over', ReceiptHandle: m!.ReceiptHandle, VisibilityTimeout: 43_201 },
        ],
      }),
    );
    expect(out.Successful).toEqual([{ Id: 'ok' }]);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'over', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
  });

  it('SendMessageBatch answers each entry with its MessageId and body MD5', async () => {
    const url = await queue();
    const out = await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'hello' },
          { Id: 'b', MessageBody: 'x', DelaySeconds: 901 },
        ],
      }),
    );
    // MD5 of "hello".
    expect(out.Successful).toEqual([
      expect.objectContaining({ Id: 'a', MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592' }),
    ]);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
  });
});
