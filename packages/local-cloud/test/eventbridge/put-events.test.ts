import { describe, expect, it } from 'vitest';
import { entrySize } from '../../src/eventbridge/entries.js';
import { entry, harness, queueArn, ruleToQueue } from './harness.js';

type PutEventsResult = {
  FailedEntryCount: number;
  Entries: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
};

describe('PutEvents validation and limits', () => {
  it('accepts 1 to 10 entries and rejects 0 or 11 with a ValidationException', async () => {
    const h = harness();
    const ten = await h.call<PutEventsResult>('PutEvents', {
      Entries: Array.from({ length: 10 }, () => entry()),
    });
    expect(ten.FailedEntryCount).toBe(0);
    expect(ten.Entries).toHaveLength(10);

    const eleven = await h.error('PutEvents', {
      Entries: Array.from({ length: 11 }, () => entry()),
    });
    expect(eleven.code).toBe('ValidationException');
    expect(eleven.message).toMatch(
      /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=shop\.orders,/,
    );
    expect(eleven.message).toMatch(
      /' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    const none = await h.error('PutEvents', { Entries: [] });
    expect(none.message).toContain('Member must have length greater than or equal to 1');
  });

  it('computes the request size as AWS documents and rejects more than 256 KB', async () => {
    expect(
      entrySize({ Time: 1, Source: 'ab', DetailType: 'é', Detail: '{}', Resources: ['r1', 'r22'] }),
    ).toBe(14 + 2 + 2 + 2 + 2 + 3);
    const h = harness();
    const filler = 'x'.repeat(256 * 1024 - 100);
    const atLimit = entry({ Source: 's', DetailType: 'd', Detail: JSON.stringify({ f: filler }) });
    expect(
      (await h.call<PutEventsResult>('PutEvents', { Entries: [atLimit] })).FailedEntryCount,
    ).toBe(0);
    const over = await h.error('PutEvents', {
      Entries: [entry({ Detail: JSON.stringify({ f: 'x'.repeat(256 * 1024) }) })],
    });
    expect([over.code, over.message]).toEqual([
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    ]);
  });

  it('reports bad entries one by one and still accepts the good ones', async () => {
    const h = harness();
    const result = await h.call<PutEventsResult>('PutEvents', {
      Entries: [
        entry({ Source: undefined }),
        entry({ DetailType: undefined }),
        entry({ Detail: undefined }),
        entry({ Detail: '"a string"' }),
        entry({ Detail: '[1,2]' }),
        entry({ Detail: '{not json' }),
        entry({ Detail: JSON.stringify(JSON.stringify({ a: 1 })) }),
        entry({ EventBusName: 'missing' }),
        entry({ Source: 'aws.ec2' }),
        entry(),
      ],
    });
    // A missing bus is accepted and dropped, as AWS does (strict mode reports it: conformance suite).
    expect(result.FailedEntryCount).toBe(8);
    expect(result.Entries[7]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...result.Entries.slice(0, 7), ...result.Entries.slice(8, 9)]).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage:
          'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      {
        ErrorCode: 'NotAuthorizedForSourceException',
        ErrorMessage: 'Not authorized for the source.',
      },
    ]);
    expect(result.Entries[9]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.recorder.events()).toHaveLength(1);
  });
});

describe('PutEvents delivery', () => {
  it('builds the event exactly as AWS delivers it and returns before delivering', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    await ruleToQueue(h, { rule: 'orders', queue: 'orders-q', bus: 'shop' });
    const result = await h.call<PutEventsResult>('PutEvents', {
      Entries: [
        entry({
          EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/shop',
          Time: 1700000000.789,
          Resources: ['arn:aws:s3:::b'],
        }),
      ],
    });
    expect(h.sqs.sent).toHaveLength(0); // asynchronous, like AWS
    await h.eb.settled();
    const [delivered] = h.sqs.sent;
    expect(delivered?.queueArn).toBe(queueArn('orders-q'));
    const body = delivered?.body ?? '';
    expect(Object.keys(JSON.parse(body) as object)).toEqual([
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
    expect(JSON.parse(body)).toEqual({
      version: '0',
      id: result.Entries[0]?.EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '000000000000',
      time: '2023-11-14T22:13:20Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::b'],
      detail: { orderId: 'o-1' },
    });
  });

  it('uses now, at second precision, when Time is absent', async () => {
    const h = harness({ now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678) });
    await ruleToQueue(h, { rule: 'r', queue: 'q' });
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect((h.sqs.bodies(queueArn('q'))[0] as { time: string }).time).toBe('2024-01-02T03:04:05Z');
  });

  it('delivers to every matching enabled rule and skips disabled ones', async () => {
    const h = harness();
    await ruleToQueue(h, { rule: 'a', queue: 'qa' });
    await ruleToQueue(h, { rule: 'b', queue: 'qb' });
    await ruleToQueue(h, { rule: 'other', queue: 'qo', source: 'shop.payments' });
    await h.call('DisableRule', { Name: 'b' });
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(h.sqs.sent.map((m) => m.queueArn)).toEqual([queueArn('qa')]);
    const [recorded] = h.recorder.events();
    expect(recorded).toMatchObject({ eventBusName: 'default', matchedRules: ['a'] });
    expect(recorded?.event['source']).toBe('shop.orders');
  });

  it('forwards to another bus of the account when a rule targets it', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    await h.call('PutRule', {
      Name: 'fwd',
      EventPattern: JSON.stringify({ source: ['shop.orders'] }),
    });
    await h.call('PutTargets', {
      Rule: 'fwd',
      Targets: [{ Id: 'bus', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/shop' }],
    });
    await ruleToQueue(h, { rule: 'on-shop', queue: 'q', bus: 'shop' });
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(h.sqs.bodies(queueArn('q'))).toEqual([
      expect.objectContaining({ source: 'shop.orders' }),
    ]);
    expect(h.recorder.events().map((e) => e.eventBusName)).toEqual(['default', 'shop']);
  });
});
