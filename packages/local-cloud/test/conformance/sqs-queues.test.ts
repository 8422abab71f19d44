/**
 * SQS queue actions as the API reference describes them, through the SDK
 * (JSON protocol) and, for errors, the query protocol too: CreateQueue,
 * GetQueueUrl, ListQueues, DeleteQueue, Get/SetQueueAttributes, tags,
 * permissions, PurgeQueue and ListDeadLetterSourceQueues.
 */
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  sameOnBoth,
  sqsFailsBoth,
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

async function queue(attributes: Record<string, string> = {}, name = c.name('q')) {
  const out = await c.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl!;
}

async function arnOf(url: string): Promise<string> {
  const out = await c.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return out.Attributes!['QueueArn']!;
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
describe('CreateQueue', () => {
  it('is idempotent for the same name and attributes, and refuses different ones', async () => {
    const name = c.name('idem');
    const first = await queue({ VisibilityTimeout: '40' }, name);
    expect(await queue({ VisibilityTimeout: '40' }, name)).toBe(first);
    const err = await failure(
      c.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '41' } }),
      ),
    );
    // The SDK names the error after its model (QueueNameExists); the wire code is QueueAlreadyExists.
    expect(err).toMatchObject({ name: 'QueueNameExists', status: 400 });
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'CreateQueue',
        { QueueName: name, Attributes: { VisibilityTimeout: '41' } },
        { QueueName: name, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '41' },
      ),
      { code: 'QueueAlreadyExists', status: 400 },
    );
  });

  it('refuses a name over 80 characters or with other characters than [A-Za-z0-9_-]', async () => {
    for (const QueueName of ['a'.repeat(81), 'has space', 'dot.ted']) {
      sameOnBoth(
        await sqsFailsBoth(c.cloud.endpoint, 'CreateQueue', { QueueName }, { QueueName }),
        {
          code: 'InvalidParameterValue',
          status: 400,
        },
      );
    }
  });

  it('refuses an attribute out of its range with InvalidAttributeValue, both protocols', async () => {
    const cases: [string, string][] = [
      ['DelaySeconds', '901'],
      ['MaximumMessageSize', '1023'],
      ['MessageRetentionPeriod', '59'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['VisibilityTimeout', '43201'],
    ];
    for (const [name, value] of cases) {
      const QueueName = c.name('range');
      sameOnBoth(
        await sqsFailsBoth(
          c.cloud.endpoint,
          'CreateQueue',
          { QueueName, Attributes: { [name]: value } },
          { QueueName, 'Attribute.1.Name': name, 'Attribute.1.Value': value },
        ),
        {
          code: 'InvalidAttributeValue',
          status: 400,
          message: new RegExp(`^Invalid value for the parameter ${name}\\.`),
        },
      );
    }
  });

  it('refuses an unknown attribute with InvalidAttributeName', async () => {
    const QueueName = c.name('unknown');
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'CreateQueue',
        { QueueName, Attributes: { Colour: 'blue' } },
        { QueueName, 'Attribute.1.Name': 'Colour', 'Attribute.1.Value': 'blue' },
      ),
      { code: 'InvalidAttributeName', status: 400, message: /^Unknown Attribute Colour\./ },
    );
  });

  it('refuses the name of a queue deleted less than 60 seconds ago', async () => {
    const name = c.name('recent');
    const url = await queue({}, name);
    await c.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const err = await failure(c.sqs.send(new CreateQueueCommand({ QueueName: name })));
    expect(err).toMatchObject({ name: 'QueueDeletedRecently', status: 400 });
    sameOnBoth(
      await sqsFailsBoth(c.cloud.endpoint, 'CreateQueue', { QueueName: name }, { QueueName: name }),
      { code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
    );
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
describe('GetQueueUrl and DeleteQueue', () => {
  it('finds a queue by name, and not after DeleteQueue', async () => {
    const name = c.name('url');
    const url = await queue({}, name);
    const got = await c.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    expect(got.QueueUrl).toBe(url);
    await c.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    sameOnBoth(
      await sqsFailsBoth(c.cloud.endpoint, 'GetQueueUrl', { QueueName: name }, { QueueName: name }),
      {
        code: 'AWS.SimpleQueueService.NonExistentQueue',
        status: 400,
        message: 'The specified queue does not exist.',
      },
    );
  });

  it('asks for QueueName with MissingParameter', async () => {
    const answer = await sqsFailsBoth(c.cloud.endpoint, 'GetQueueUrl', {}, {});
    sameOnBoth(answer, { code: 'MissingParameter', status: 400 });
    expect(answer.json.type).toMatch(/MissingRequiredParameterException$/);
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
describe('ListQueues', () => {
  it('filters by QueueNamePrefix and pages with MaxResults and NextToken', async () => {
    const prefix = c.name('page');
    const urls = [];
    for (const n of ['a', 'b', 'c']) urls.push(await queue({}, `${prefix}-${n}`));
    const first = await c.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }),
    );
    expect(first.QueueUrls).toEqual(urls.slice(0, 2));
    expect(first.NextToken).toBeDefined();
    const second = await c.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls).toEqual(urls.slice(2));
    expect(second.NextToken).toBeUndefined();
  });

  it('answers no NextToken without MaxResults, and no QueueUrls for an unused prefix', async () => {
    const all = await c.sqs.send(new ListQueuesCommand({}));
    expect(all.NextToken).toBeUndefined();
    const none = await c.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'nothing-here' }));
    expect(none.QueueUrls).toBeUndefined();
  });

  it('refuses MaxResults outside 1..1000', async () => {
    for (const MaxResults of [0, 1001]) {
      sameOnBoth(
        await sqsFailsBoth(
          c.cloud.endpoint,
          'ListQueues',
          { MaxResults },
          { MaxResults: String(MaxResults) },
        ),
        { code: 'InvalidParameterValue', status: 400, message: /MaxResults/ },
      );
    }
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
describe('GetQueueAttributes and SetQueueAttributes', () => {
  it('answers All, or only the names asked for', async () => {
    const url = await queue({ DelaySeconds: '5' });
    const all = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(all.Attributes).toMatchObject({
      DelaySeconds: '5',
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      SqsManagedSseEnabled: 'true',
    });
    const one = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['DelaySeconds'] }),
    );
    expect(one.Attributes).toEqual({ DelaySeconds: '5' });
  });

  it('refuses an unknown attribute name in GetQueueAttributes', async () => {
    const url = await queue();
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'GetQueueAttributes',
        { QueueUrl: url, AttributeNames: ['Colour'] },
        { QueueUrl: url, 'AttributeName.1': 'Colour' },
      ),
      { code: 'InvalidAttributeName', status: 400, message: /^Unknown Attribute Colour\./ },
    );
  });

  it('sets attributes within range and refuses read-only and out-of-range ones', async () => {
    const url = await queue();
    await c.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '0' } }),
    );
    const got = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(got.Attributes).toEqual({ VisibilityTimeout: '0' });
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'SetQueueAttributes',
        { QueueUrl: url, Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:x' } },
        {
          QueueUrl: url,
          'Attribute.1.Name': 'QueueArn',
          'Attribute.1.Value': 'arn:aws:sqs:us-east-1:000000000000:x',
        },
      ),
      { code: 'InvalidAttributeName', status: 400 },
    );
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'SetQueueAttributes',
        { QueueUrl: url, Attributes: { MaximumMessageSize: '1048577' } },
        { QueueUrl: url, 'Attribute.1.Name': 'MaximumMessageSize', 'Attribute.1.Value': '1048577' },
      ),
      { code: 'InvalidAttributeValue', status: 400 },
    );
  });

  it('refuses a FIFO attribute on a standard queue', async () => {
    const url = await queue();
    const err = await failure(
      c.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { ContentBasedDeduplication: 'true' },
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'InvalidAttributeName', status: 400 });
    expect(err.message).toMatch(/^Unknown Attribute ContentBasedDeduplication\./);
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
describe('TagQueue, UntagQueue and ListQueueTags', () => {
  it('adds, overwrites and removes tags; CreateQueue tags count too', async () => {
    const created = await c.sqs.send(
      new CreateQueueCommand({ QueueName: c.name('tags'), tags: { team: 'shop' } }),
    );
    const url = created.QueueUrl!;
    await c.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'dev', team: 'ops' } }));
    const tagged = await c.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    expect(tagged.Tags).toEqual({ team: 'ops', env: 'dev' });
    await c.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['team'] }));
    const left = await c.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    expect(left.Tags).toEqual({ env: 'dev' });
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_RemovePermission.html
// Messages as moto records them (getmoto/moto tests/test_sqs/test_sqs.py, test_add_permission_*).
describe('AddPermission and RemovePermission', () => {
  it('writes a statement into the Policy attribute and removes it by label', async () => {
    const url = await queue();
    const arn = await arnOf(url);
    await c.sqs.send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'send',
        AWSAccountIds: ['111111111111'],
        Actions: ['SendMessage'],
      }),
    );
    const got = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    expect(JSON.parse(got.Attributes!['Policy']!)).toEqual({
      Version: '2012-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'send',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'SQS:SendMessage',
          Resource: arn,
        },
      ],
    });
    await c.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'send' }));
    const after = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    expect(after.Attributes?.['Policy']).toBeUndefined();
  });

  it('refuses a label twice, an unknown label, an owner-only action and more than 7 actions', async () => {
    const url = await queue();
    const add = (Label: string, Actions: string[]) =>
      sqsFailsBoth(
        c.cloud.endpoint,
        'AddPermission',
        { QueueUrl: url, Label, AWSAccountIds: ['111111111111'], Actions },
        {
          QueueUrl: url,
          Label,
          'AWSAccountId.1': '111111111111',
          ...Object.fromEntries(Actions.map((a, n) => [`ActionName.${n + 1}`, a])),
        },
      );
    await c.sqs.send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'once',
        AWSAccountIds: ['111111111111'],
        Actions: ['ReceiveMessage'],
      }),
    );
    sameOnBoth(await add('once', ['SendMessage']), {
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value once for parameter Label is invalid. Reason: Already exists.',
    });
    sameOnBoth(await add('owner', ['CreateQueue']), {
      code: 'InvalidParameterValue',
      status: 400,
      message:
        'Value SQS:CreateQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
    });
    sameOnBoth(await add('many', Array(8).fill('SendMessage')), {
      code: 'OverLimit',
      status: 403,
      message: '8 Actions were found, maximum allowed is 7.',
    });
    sameOnBoth(
      await sqsFailsBoth(
        c.cloud.endpoint,
        'RemovePermission',
        { QueueUrl: url, Label: 'nope' },
        { QueueUrl: url, Label: 'nope' },
      ),
      {
        code: 'InvalidParameterValue',
        status: 400,
        message:
          "Value nope for parameter Label is invalid. Reason: can't find label on existing policy.",
      },
    );
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
describe('PurgeQueue', () => {
  it('deletes every message, and refuses a second purge within 60 seconds with 403', async () => {
    const name = c.name('purge');
    const url = await queue({}, name);
    await c.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await c.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const got = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(got.Messages).toBeUndefined();
    sameOnBoth(
      await sqsFailsBoth(c.cloud.endpoint, 'PurgeQueue', { QueueUrl: url }, { QueueUrl: url }),
      {
        code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
        status: 403,
        message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      },
    );
  });
});

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
describe('ListDeadLetterSourceQueues', () => {
  it('lists the queues whose RedrivePolicy names the queue, paged by MaxResults', async () => {
    const dlq = await queue();
    const dlqArn = await arnOf(dlq);
    const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const prefix = c.name('src');
    const sources = [
      await queue({ RedrivePolicy: redrive }, `${prefix}-a`),
      await queue({ RedrivePolicy: redrive }, `${prefix}-b`),
    ];
    await queue();
    const all = await c.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(all.queueUrls).toEqual(sources);
    const first = await c.sqs.send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1 }),
    );
    expect(first.queueUrls).toEqual(sources.slice(0, 1));
    const second = await c.sqs.send(
      new ListDeadLetterSourceQueuesCommand({
        QueueUrl: dlq,
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.queueUrls).toEqual(sources.slice(1));
    expect(second.NextToken).toBeUndefined();
  });
});

// The query protocol's answers for the same actions, as the AWS CLI 1.x reads them.
describe('over the query protocol', () => {
  it('pages ListQueues and ListDeadLetterSourceQueues with <NextToken>', async () => {
    const prefix = c.name('xml');
    const dlq = await queue({}, `${prefix}-dlq`);
    const redrive = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 3 });
    const a = await queue({ RedrivePolicy: redrive }, `${prefix}-src-a`);
    const b = await queue({ RedrivePolicy: redrive }, `${prefix}-src-b`);
    const listed = await sqsQuery(c.cloud.endpoint, 'ListQueues', {
      QueueNamePrefix: `${prefix}-src`,
      MaxResults: '1',
    });
    expect(listed.status).toBe(200);
    expect(xmlText(listed.text, 'QueueUrl')).toBe(a);
    const next = xmlText(listed.text, 'NextToken')!;
    const rest = await sqsQuery(c.cloud.endpoint, 'ListQueues', {
      QueueNamePrefix: `${prefix}-src`,
      MaxResults: '1',
      NextToken: next,
    });
    expect(xmlText(rest.text, 'QueueUrl')).toBe(b);
    expect(xmlText(rest.text, 'NextToken')).toBeUndefined();
    const sources = await sqsQuery(c.cloud.endpoint, 'ListDeadLetterSourceQueues', {
      QueueUrl: dlq,
    });
    expect(sources.text).toContain('<ListDeadLetterSourceQueuesResult>');
    expect([...sources.text.matchAll(/<QueueUrl>([^<]*)<\/QueueUrl>/g)].map((m) => m[1])).toEqual([
      a,
      b,
    ]);
  });

  it('adds a permission and shows it in the Policy attribute', async () => {
    const url = await queue();
    const added = await sqsQuery(c.cloud.endpoint, 'AddPermission', {
      QueueUrl: url,
      Label: 'xml',
      'AWSAccountId.1': '111111111111',
      'AWSAccountId.2': '222222222222',
      'ActionName.1': 'SendMessage',
      'ActionName.2': 'ReceiveMessage',
    });
    expect(added.status).toBe(200);
    const got = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    expect(JSON.parse(got.Attributes!['Policy']!).Statement[0]).toMatchObject({
      Sid: 'xml',
      Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] },
      Action: ['SQS:SendMessage', 'SQS:ReceiveMessage'],
    });
  });
});
