/**
 * EventBridge archives and replays as the API reference describes them,
 * through the SDK: archive validation and filters, UpdateArchive's check
 * before lookup, StartReplay's time window and destination rules, FilterArns,
 * and the replayed event's `replay-name`.
 */
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, sleep, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

const ACCOUNT = '000000000000';
const busArn = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`;

async function bus(): Promise<string> {
  const name = c.name('bus');
  await c.events.send(new CreateEventBusCommand({ Name: name }));
  return name;
}

async function archive(busName: string): Promise<{ name: string; arn: string }> {
  const name = c.name('archive');
  const out = await c.events.send(
    new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn(busName) }),
  );
  return { name, arn: out.ArchiveArn! };
}

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeArchive.html
describe('CreateArchive and DescribeArchive', () => {
  it('creates an archive of a bus and describes it', async () => {
    const b = await bus();
    const name = c.name('archive');
    const created = await c.events.send(
      new CreateArchiveCommand({
        ArchiveName: name,
        EventSourceArn: busArn(b),
        Description: 'all orders',
        RetentionDays: 7,
        EventPattern: JSON.stringify({ source: ['shop.orders'] }),
      }),
    );
    expect(created).toMatchObject({
      ArchiveArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/${name}`,
      State: 'ENABLED',
    });
    const described = await c.events.send(new DescribeArchiveCommand({ ArchiveName: name }));
    expect(described).toMatchObject({
      ArchiveName: name,
      EventSourceArn: busArn(b),
      Description: 'all orders',
      RetentionDays: 7,
      EventCount: 0,
      SizeBytes: 0,
      State: 'ENABLED',
    });
    expect(described.CreationTime).toBeInstanceOf(Date);
  });

  it('refuses a name twice, a name over 48 characters, and a source that is no bus', async () => {
    const b = await bus();
    const { name } = await archive(b);
    expect(
      await failure(
        c.events.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn(b) })),
      ),
    ).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: `Archive ${name} already exists.`,
    });
    const long = await failure(
      c.events.send(
        new CreateArchiveCommand({ ArchiveName: 'a'.repeat(49), EventSourceArn: busArn(b) }),
      ),
    );
    expect(long.message).toMatch(
      /^1 validation error detected: Value 'a{49}' at 'archiveName' failed to satisfy constraint: Member must have length less than or equal to 48$/,
    );
    expect(
      await failure(
        c.events.send(
          new CreateArchiveCommand({
            ArchiveName: c.name('archive'),
            EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
          }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await failure(
        c.events.send(
          new CreateArchiveCommand({
            ArchiveName: c.name('archive'),
            EventSourceArn: busArn('no-such-bus'),
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus no-such-bus does not exist.',
    });
  });

  it('answers ResourceNotFoundException for an archive that does not exist', async () => {
    expect(
      await failure(c.events.send(new DescribeArchiveCommand({ ArchiveName: 'nope' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Archive nope does not exist.' });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListArchives.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_UpdateArchive.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteArchive.html
describe('ListArchives, UpdateArchive and DeleteArchive', () => {
  it('lists by one filter at most', async () => {
    const b = await bus();
    const a = await archive(b);
    const bySource = await c.events.send(new ListArchivesCommand({ EventSourceArn: busArn(b) }));
    expect(bySource.Archives?.map((x) => x.ArchiveName)).toEqual([a.name]);
    const byPrefix = await c.events.send(new ListArchivesCommand({ NamePrefix: a.name }));
    expect(byPrefix.Archives?.map((x) => x.ArchiveName)).toEqual([a.name]);
    expect(
      await failure(
        c.events.send(new ListArchivesCommand({ NamePrefix: a.name, State: 'ENABLED' })),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.',
    });
  });

  it('needs something to update before it looks the archive up, then updates it', async () => {
    expect(
      await failure(c.events.send(new UpdateArchiveCommand({ ArchiveName: 'does-not-exist' }))),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'At least one of EventPattern, RetentionDays or Description must be provided.',
    });
    const { name } = await archive(await bus());
    await c.events.send(new UpdateArchiveCommand({ ArchiveName: name, RetentionDays: 3 }));
    expect(
      (await c.events.send(new DescribeArchiveCommand({ ArchiveName: name }))).RetentionDays,
    ).toBe(3);
    await c.events.send(new DeleteArchiveCommand({ ArchiveName: name }));
    expect(
      await failure(c.events.send(new DeleteArchiveCommand({ ArchiveName: name }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_StartReplay.html
describe('StartReplay validation', () => {
  const hourAgo = () => new Date(Date.now() - 3_600_000);

  // "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."
  // as moto's tests record it (getmoto/moto tests/test_events/test_events.py, test_start_replay_*).
  it('needs EventStartTime before EventEndTime, and EventEndTime not in the future', async () => {
    const b = await bus();
    const a = await archive(b);
    const start = (EventStartTime: Date, EventEndTime: Date) =>
      failure(
        c.events.send(
          new StartReplayCommand({
            ReplayName: c.name('replay'),
            EventSourceArn: a.arn,
            EventStartTime,
            EventEndTime,
            Destination: { Arn: busArn(b) },
          }),
        ),
      );
    const t = hourAgo();
    expect(await start(t, t)).toMatchObject({
      name: 'ValidationException',
      message:
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    });
    // The reason text is the local cloud's, in AWS's form: no public recording gives AWS's.
    expect(await start(t, new Date(Date.now() + 60_000))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter EventEndTime is not valid. Reason: EventEndTime cannot be in the future.',
    });
  });

  it("replays only to the archive's own bus, and only from an archive that exists", async () => {
    const b = await bus();
    const other = await bus();
    const a = await archive(b);
    const window = { EventStartTime: hourAgo(), EventEndTime: new Date(Date.now() - 1000) };
    expect(
      await failure(
        c.events.send(
          new StartReplayCommand({
            ReplayName: c.name('replay'),
            EventSourceArn: a.arn,
            ...window,
            Destination: { Arn: busArn(other) },
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    });
    expect(
      await failure(
        c.events.send(
          new StartReplayCommand({
            ReplayName: c.name('replay'),
            EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/nope`,
            ...window,
            Destination: { Arn: busArn(b) },
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.',
    });
  });

  it('reports missing members as null, all at once', async () => {
    const err = await failure(
      c.events.send(new StartReplayCommand({ ReplayName: c.name('replay') } as never)),
    );
    expect(err.message).toMatch(/^4 validation errors detected: /);
    for (const member of ['eventSourceArn', 'eventStartTime', 'eventEndTime', 'destination']) {
      expect(err.message).toContain(
        `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-replay-archived-event.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeReplay.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CancelReplay.html
describe('a replay', () => {
  it('puts archived events back to the rules in FilterArns only, marked with replay-name', async () => {
    const b = await bus();
    const a = await archive(b);
    const queues: string[] = [];
    const ruleArns: string[] = [];
    for (const n of [1, 2]) {
      const q = await c.sqs.send(new CreateQueueCommand({ QueueName: c.name('replayed') }));
      queues.push(q.QueueUrl!);
      const rule = await c.events.send(
        new PutRuleCommand({
          Name: c.name('rule'),
          EventBusName: b,
          EventPattern: JSON.stringify({ source: ['shop.orders'] }),
        }),
      );
      ruleArns.push(rule.RuleArn!);
      await c.events.send(
        new PutTargetsCommand({
          Rule: rule.RuleArn!.split('/').pop()!,
          EventBusName: b,
          Targets: [
            {
              Id: `q${n}`,
              Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${q.QueueUrl!.split('/').pop()}`,
            },
          ],
        }),
      );
    }
    const startTime = new Date(Date.now() - 1000);
    await c.events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: b, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' },
        ],
      }),
    );
    await sleep(20);
    const replayName = c.name('replay');
    const started = await c.events.send(
      new StartReplayCommand({
        ReplayName: replayName,
        EventSourceArn: a.arn,
        EventStartTime: startTime,
        EventEndTime: new Date(),
        Destination: { Arn: busArn(b), FilterArns: [ruleArns[0]!] },
      }),
    );
    expect(started.State).toBe('STARTING');
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== 'COMPLETED'; i++) {
      await sleep(20);
      state = (await c.events.send(new DescribeReplayCommand({ ReplayName: replayName }))).State;
    }
    expect(state).toBe('COMPLETED');
    const bodies = async (url: string) => {
      const got = await c.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      return (got.Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
    };
    const first = await bodies(queues[0]!);
    expect(first.map((e) => e['replay-name'])).toEqual([undefined, replayName]);
    expect((await bodies(queues[1]!)).map((e) => e['replay-name'])).toEqual([undefined]);
    expect(
      await failure(c.events.send(new CancelReplayCommand({ ReplayName: replayName }))),
    ).toMatchObject({ name: 'IllegalStatusException' });
    const listed = await c.events.send(new ListReplaysCommand({ NamePrefix: replayName }));
    expect(listed.Replays).toEqual([
      expect.objectContaining({
        ReplayName: replayName,
        State: 'COMPLETED',
        EventSourceArn: a.arn,
      }),
    ]);
  });

  it('answers ResourceNotFoundException for a replay that does not exist', async () => {
    expect(
      await failure(c.events.send(new DescribeReplayCommand({ ReplayName: 'nope' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Replay nope does not exist.' });
  });
});
