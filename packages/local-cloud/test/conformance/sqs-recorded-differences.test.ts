/**
 * Where the local SQS answered differently from AWS's recorded behaviour,
 * one test per difference (cases 5 to 14 of the conformance issue), through
 * the SDK (JSON protocol) and, where the protocol matters, the query protocol.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  sleep,
  sqsJson,
  sqsQuery,
  startConformance,
  xmlText,
  type Conformance,
} from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

async function queue(attributes: Record<string, string> = {}): Promise<string> {
  const out = await c.sqs.send(
    new CreateQueueCommand({ QueueName: c.name('conf'), Attributes: attributes }),
  );
  return out.QueueUrl!;
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
describe('5. SendMessageBatch size limits', () => {
  it('allows a batch over MaximumMessageSize when every entry is within it', async () => {
    const url = await queue({ MaximumMessageSize: '2048' });
    const out = await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a'.repeat(1025) },
          { Id: 'b', MessageBody: 'b'.repeat(1024) },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(['a', 'b']);
    expect(out.Failed ?? []).toEqual([]);
  });

  it('fails only the entry over MaximumMessageSize, with InvalidParameterValue', async () => {
    const url = await queue({ MaximumMessageSize: '1024' });
    const out = await c.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'fits', MessageBody: 'a'.repeat(1024) },
          { Id: 'over', MessageBody: 'b'.repeat(1025) },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(['fits']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'over', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    expect(out.Failed![0]!.Message).toMatch(
      /^One or more parameters are invalid\. Reason: Message must be shorter than 1024 bytes\./,
    );
  });

  it('refuses a batch over 1 MiB in total, counting bodies and attributes as AWS does', async () => {
    const url = await queue();
    const err = await failure(
      c.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: 'a'.repeat(524_288) },
            { Id: 'b', MessageBody: 'b'.repeat(524_289) },
          ],
        }),
      ),
    );
    expect(err).toEqual({
      name: 'BatchRequestTooLong',
      message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
      status: 400,
    });
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
describe('6. ChangeMessageVisibility', () => {
  it('answers 200 for a message whose visibility timeout has lapsed', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const got = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1 }),
    );
    await sleep(1100);
    const out = await c.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: got.Messages![0]!.ReceiptHandle!,
        VisibilityTimeout: 10,
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('takes an older receipt handle of a message received again', async () => {
    const url = await queue();
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const first = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1 }),
    );
    await sleep(1100);
    const again = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(again.Messages).toHaveLength(1);
    await c.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: first.Messages![0]!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
    const visible = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(visible.Messages?.[0]?.Body).toBe('x');
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageSystemAttributeValue.html
describe('7. AWSTraceHeader from the X-Amzn-Trace-Id header', () => {
  const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

  async function traceOf(url: string): Promise<string | undefined> {
    const got = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['AWSTraceHeader'] }),
    );
    return got.Messages?.[0]?.Attributes?.AWSTraceHeader;
  }

  it('is taken from the SDK request header when no system attribute is given', async () => {
    const url = await queue();
    const traced = new SQSClient({
      endpoint: c.cloud.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
    traced.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] = trace;
        return next(args);
      },
      { step: 'build' },
    );
    try {
      await traced.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    } finally {
      traced.destroy();
    }
    expect(await traceOf(url)).toBe(trace);
  });

  it('is taken from the header of a query-protocol SendMessage too', async () => {
    const url = await queue();
    const res = await sqsQuery(
      c.cloud.endpoint,
      'SendMessage',
      { QueueUrl: url, MessageBody: 'x' },
      { 'X-Amzn-Trace-Id': trace },
    );
    expect(res.status).toBe(200);
    expect(await traceOf(url)).toBe(trace);
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
describe('8. MessageAttributeNames filters', () => {
  async function namesFor(filter: string[]): Promise<string[]> {
    const url = await queue();
    const s = (v: string) => ({ DataType: 'String', StringValue: v });
    await c.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: { Hello: s('1'), 'Help.Me': s('2'), Other: s('3') },
      }),
    );
    const got = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: filter }),
    );
    return Object.keys(got.Messages?.[0]?.MessageAttributes ?? {}).sort();
  }

  it('"*" returns every attribute', async () => {
    expect(await namesFor(['*'])).toEqual(['Hello', 'Help.Me', 'Other']);
  });

  it('"Hel.*" returns the attributes whose names start with Hel', async () => {
    expect(await namesFor(['Hel.*'])).toEqual(['Hello', 'Help.Me']);
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
describe('9. MessageGroupId on a standard queue', () => {
  it.each([
    ['empty', ''],
    ['129 characters', 'g'.repeat(129)],
    ['with a space', 'a b'],
  ])('refuses one %s with InvalidParameterValue', async (_, group) => {
    const url = await queue();
    const err = await failure(
      c.sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: group }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.status).toBe(400);
  });

  it('accepts 128 printable characters', async () => {
    const url = await queue();
    const group = `${'g'.repeat(120)}!#$%&()*`;
    const out = await c.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: group }),
    );
    expect(out.MessageId).toBeDefined();
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
describe('10. KmsMasterKeyId with SqsManagedSseEnabled=true', () => {
  it('is refused with InvalidAttributeName', async () => {
    const err = await failure(
      c.sqs.send(
        new CreateQueueCommand({
          QueueName: c.name('sse'),
          Attributes: { KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' },
        }),
      ),
    );
    expect(err.name).toBe('InvalidAttributeName');
    // AWS's wording as the AWS CLI shows it (ansible-collections/community.aws#2433).
    expect(err.message).toBe(
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  });
});

describe('11. A bare queue name as QueueUrl', () => {
  it('names the account queue of that name (undocumented, but AWS does it)', async () => {
    const name = c.name('bare');
    await c.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await c.sqs.send(new SendMessageCommand({ QueueUrl: name, MessageBody: 'x' }));
    const attrs = await c.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: name,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html
describe('12. Control characters in a String message attribute', () => {
  it('are InvalidParameterValue (in the body they are InvalidMessageContents)', async () => {
    const url = await queue();
    const attr = await failure(
      c.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageAttributes: { a: { DataType: 'String', StringValue: 'bell\u0007' } },
        }),
      ),
    );
    expect(attr.name).toBe('InvalidParameterValue');
    const body = await failure(
      c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bell\u0007' })),
    );
    expect(body.name).toBe('InvalidMessageContents');
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
describe('13. A second StartMessageMoveTask while one runs', () => {
  it('is InvalidParameterValue "There is already a task running..."', async () => {
    const dlq = await queue();
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlq.split('/').at(-1)}`;
    await queue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    for (let i = 0; i < 5; i++) {
      await c.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: `m${i}` }));
    }
    // Moved back to a named destination at one a second, so it is still running below.
    const dest = await queue();
    const destArn = `arn:aws:sqs:us-east-1:000000000000:${dest.split('/').at(-1)}`;
    const start = () =>
      c.sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: dlqArn,
          DestinationArn: destArn,
          MaxNumberOfMessagesPerSecond: 1,
        }),
      );
    await start();
    const err = await failure(start());
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
  });
});

describe('14. Error codes over the JSON protocol', () => {
  it('sends InvalidParameterValueException with the query code in x-amzn-query-error', async () => {
    const url = await queue();
    const res = await sqsJson(c.cloud.endpoint, 'ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 11,
    });
    expect(res.status).toBe(400);
    expect(String(res.json['__type']).replace(/^.*#/, '')).toBe('InvalidParameterValueException');
    expect(res.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
  });

  it('sends MissingRequiredParameterException for a missing parameter', async () => {
    const res = await sqsJson(c.cloud.endpoint, 'SendMessage', {
      QueueUrl: await queue(),
    });
    expect(String(res.json['__type']).replace(/^.*#/, '')).toBe(
      'MissingRequiredParameterException',
    );
    expect(res.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
  });

  it('so the SDK and the query protocol both see InvalidParameterValue', async () => {
    const url = await queue();
    const sdk = await failure(
      c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    );
    expect(sdk.name).toBe('InvalidParameterValue');
    const query = await sqsQuery(c.cloud.endpoint, 'ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: '11',
    });
    expect(query.status).toBe(400);
    expect(xmlText(query.text, 'Code')).toBe('InvalidParameterValue');
  });
});
