/**
 * Where the local EventBridge answered differently from AWS's recorded
 * behaviour (cases 1 to 4 of the conformance issue), through the SDK, with
 * real local SQS queues as targets.
 */
import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateArchiveCommand,
  type InputTransformer,
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

const detail = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
};

/** A rule on the default bus into a new queue with this transformer; returns the bodies delivered. */
async function deliverThrough(transformer: InputTransformer): Promise<string[]> {
  const queueName = c.name('eb-target');
  const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const source = c.name('conformance.source');
  const rule = c.name('rule');
  await c.events.send(
    new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }),
  );
  await c.events.send(
    new PutTargetsCommand({
      Rule: rule,
      Targets: [
        {
          Id: 't',
          Arn: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
          InputTransformer: transformer,
        },
      ],
    }),
  );
  await c.events.send(
    new PutEventsCommand({
      Entries: [{ Source: source, DetailType: 'Account', Detail: JSON.stringify(detail) }],
    }),
  );
  await c.cloud.events.settled();
  const got = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  return (got.Messages ?? []).map((m) => m.Body!);
}

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
describe('1. A JSON template naming a path the event lacks', () => {
  it('delivers valid JSON with the placeholder replaced by an empty string', async () => {
    const bodies = await deliverThrough({
      InputPathsMap: { command: '$.detail.notinmessage' },
      InputTemplate: '{"command": <command>}',
    });
    expect(bodies.map((b) => JSON.parse(b) as unknown)).toEqual([{ command: '' }]);
  });
});

describe('2. Templates AWS refuses at delivery', () => {
  it.each([
    ['inside a quoted key/value list', '{"payload": "{acc_id:<acc>,sf_id:<sf>}"}'],
    ['inside a list in a quoted string', '{"payload": "[<acc>, <sf>]"}'],
  ])('delivers nothing for a placeholder %s and counts a failed invocation', async (_, t) => {
    const before = c.cloud.events.failedInvocations().length;
    const bodies = await deliverThrough({
      InputPathsMap: { acc: '$.detail.payload.acc_id', sf: '$.detail.payload.sf_id' },
      InputTemplate: t,
    });
    expect(bodies).toEqual([]);
    const failed = c.cloud.events.failedInvocations().slice(before);
    // AWS only counts FailedInvocations here and records no error text, so the message is local.
    expect(failed).toEqual([
      expect.objectContaining({
        errorCode: 'InvalidInputTemplate',
        errorMessage: expect.stringMatching(/^InputTemplate is not valid JSON\. \(local cloud: /),
      }),
    ]);
  });

  it('still delivers a placeholder inside a plain quoted string', async () => {
    const bodies = await deliverThrough({
      InputPathsMap: { sf: '$.detail.payload.sf_id' },
      InputTemplate: '{"payload": "id <sf>"}',
    });
    expect(bodies.map((b) => JSON.parse(b) as unknown)).toEqual([{ payload: 'id baz' }]);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UpdateArchive.html
describe('3. UpdateArchive with only a name', () => {
  it('is a ValidationException before the archive is looked up', async () => {
    const err = await failure(c.events.send(new UpdateArchiveCommand({ ArchiveName: 'nope' })));
    expect(err).toEqual({
      name: 'ValidationException',
      message: 'At least one of EventPattern, RetentionDays or Description must be provided.',
      status: 400,
    });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
describe('4. PutEvents to a bus that does not exist', () => {
  const entry = { EventBusName: 'no-such-bus', Source: 'a.b', DetailType: 'T', Detail: '{}' };

  it('is accepted with an EventId and dropped, as on AWS', async () => {
    const out = await c.events.send(new PutEventsCommand({ Entries: [entry] }));
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails the entry with ResourceNotFoundException when the cloud runs strict', async () => {
    const strict = await startConformance({ strict: true });
    try {
      const out = await strict.events.send(new PutEventsCommand({ Entries: [entry] }));
      expect(out.FailedEntryCount).toBe(1);
      expect(out.Entries?.[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
      expect(out.Entries?.[0]?.ErrorMessage).toMatch(/^Event bus no-such-bus does not exist\./);
    } finally {
      await strict.stop();
    }
  });
});
