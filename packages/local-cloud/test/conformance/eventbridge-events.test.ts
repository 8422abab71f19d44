/**
 * EventBridge PutEvents and TestEventPattern as the API reference describes
 * them, through the SDK: request limits, per-entry failures, what a target
 * receives, and the bus that does not exist (accepted and dropped, as AWS
 * does; failed only when the local cloud runs strict).
 */
import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

const entry = (over: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'shop.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ orderId: 'o-1' }),
  ...over,
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
describe('PutEvents request limits', () => {
  it('takes 1 to 10 entries', async () => {
    const eleven = await failure(
      c.events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
    );
    expect(eleven.name).toBe('ValidationException');
    expect(eleven.message).toMatch(
      /^1 validation error detected: Value '\[PutEventsRequestEntry\(.*\)\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    const none = await failure(c.events.send(new PutEventsCommand({ Entries: [] })));
    expect(none.message).toBe(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
  it('refuses a request whose entries total more than 256 KB', async () => {
    const detail = JSON.stringify({ pad: 'x'.repeat(140_000) });
    const err = await failure(
      c.events.send(
        new PutEventsCommand({ Entries: [entry({ Detail: detail }), entry({ Detail: detail })] }),
      ),
    );
    expect(err).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });
});

describe('PutEvents entries, one by one', () => {
  it('fails an entry without Source, DetailType or Detail with InvalidArgument, and the others go on', async () => {
    const out = await c.events.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry(),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries!.slice(0, 3)).toEqual(
      ['Source', 'DetailType', 'Detail'].map((member) => ({
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
      })),
    );
    expect(out.Entries![3]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails a Detail that is not a JSON object with MalformedDetail', async () => {
    for (const Detail of ['not json', '"a string"', '[1, 2]']) {
      const out = await c.events.send(new PutEventsCommand({ Entries: [entry({ Detail })] }));
      expect(out.Entries).toEqual([
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      ]);
    }
  });

  it('fails an aws. source with NotAuthorizedForSourceException', async () => {
    const out = await c.events.send(
      new PutEventsCommand({ Entries: [entry({ Source: 'aws.s3' })] }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries![0]!.ErrorCode).toBe('NotAuthorizedForSourceException');
  });

  // AWS accepts an event for a bus that does not exist and drops it (aws/aws-cli#9186).
  it('accepts an entry for a bus that does not exist, with an EventId', async () => {
    const out = await c.events.send(
      new PutEventsCommand({ Entries: [entry({ EventBusName: 'no-such-bus' })] }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries![0]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails it with ResourceNotFoundException when the local cloud runs strict (on purpose)', async () => {
    const strict = await startConformance({ strict: true });
    try {
      const out = await strict.events.send(
        new PutEventsCommand({ Entries: [entry({ EventBusName: 'no-such-bus' })] }),
      );
      expect(out.FailedEntryCount).toBe(1);
      expect(out.Entries![0]).toEqual({
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: expect.stringMatching(
          /^Event bus no-such-bus does not exist\. \(local cloud: /,
        ),
      });
    } finally {
      await strict.stop();
    }
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
describe('what a target receives', () => {
  it('delivers the event in AWS envelope order, with the entry as detail', async () => {
    const queue = await c.sqs.send(new CreateQueueCommand({ QueueName: c.name('target') }));
    const ruleName = c.name('rule');
    await c.events.send(
      new PutRuleCommand({
        Name: ruleName,
        EventPattern: JSON.stringify({ source: ['shop.orders'] }),
      }),
    );
    const queueName = queue.QueueUrl!.split('/').pop()!;
    await c.events.send(
      new PutTargetsCommand({
        Rule: ruleName,
        Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:000000000000:${queueName}` }],
      }),
    );
    const put = await c.events.send(
      new PutEventsCommand({ Entries: [entry({ Resources: ['arn:aws:shop:order/o-1'] })] }),
    );
    const got = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 5 }),
    );
    const event = JSON.parse(got.Messages![0]!.Body!) as Record<string, unknown>;
    expect(Object.keys(event)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(event).toMatchObject({
      version: '0',
      id: put.Entries![0]!.EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:shop:order/o-1'],
      detail: { orderId: 'o-1' },
    });
    expect(event['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
describe('TestEventPattern', () => {
  const event = JSON.stringify({
    id: '1',
    account: '000000000000',
    source: 'shop.orders',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    'detail-type': 'OrderPlaced',
    detail: { total: 120 },
  });

  it('answers whether the pattern matches', async () => {
    const yes = await c.events.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: JSON.stringify({ detail: { total: [{ numeric: ['>', 100] }] } }),
      }),
    );
    expect(yes.Result).toBe(true);
    const no = await c.events.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: JSON.stringify({ source: ['x'] }),
      }),
    );
    expect(no.Result).toBe(false);
  });

  it('refuses an event that is not JSON or lacks a required field', async () => {
    const pattern = JSON.stringify({ source: ['x'] });
    for (const bad of ['not json', JSON.stringify({ source: 'shop.orders' })]) {
      expect(
        await failure(
          c.events.send(new TestEventPatternCommand({ Event: bad, EventPattern: pattern })),
        ),
      ).toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
    }
  });

  it('refuses an invalid pattern with InvalidEventPatternException, and a missing one as null', async () => {
    const invalid = await failure(
      c.events.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source": 1}' })),
    );
    expect(invalid.name).toBe('InvalidEventPatternException');
    const missing = await failure(
      c.events.send(new TestEventPatternCommand({ Event: event, EventPattern: undefined })),
    );
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null",
    );
  });
});
