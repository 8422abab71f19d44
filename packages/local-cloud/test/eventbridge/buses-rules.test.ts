import { describe, expect, it } from 'vitest';
import { busArn, harness, queueArn } from './harness.js';

const pattern = JSON.stringify({ source: ['shop.orders'] });

describe('event buses', () => {
  it('has the default bus and creates, describes, lists and deletes custom ones', async () => {
    const h = harness();
    const created = await h.call('CreateEventBus', { Name: 'shop', Description: 'the shop bus' });
    expect(created).toEqual({ EventBusArn: busArn('shop'), Description: 'the shop bus' });

    const described = await h.call('DescribeEventBus', { Name: busArn('shop') });
    expect(described).toMatchObject({
      Name: 'shop',
      Arn: busArn('shop'),
      Description: 'the shop bus',
    });
    expect(typeof described['CreationTime']).toBe('number');

    const listed = await h.call<{ EventBuses: { Name: string }[] }>('ListEventBuses');
    expect(listed.EventBuses.map((b) => b.Name)).toEqual(['default', 'shop']);
    expect(
      (await h.call<{ EventBuses: unknown[] }>('ListEventBuses', { NamePrefix: 'sh' })).EventBuses,
    ).toHaveLength(1);

    await h.call('DeleteEventBus', { Name: 'shop' });
    await h.call('DeleteEventBus', { Name: 'shop' }); // idempotent, as in AWS
    expect((await h.error('DescribeEventBus', { Name: 'shop' })).message).toBe(
      'Event bus shop does not exist.',
    );
  });

  it('rejects duplicates, deleting default and bad names as AWS does', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    const dup = await h.error('CreateEventBus', { Name: 'shop' });
    expect([dup.code, dup.message]).toEqual([
      'ResourceAlreadyExistsException',
      'Event bus shop already exists.',
    ]);
    const del = await h.error('DeleteEventBus', { Name: 'default' });
    expect([del.code, del.message]).toEqual([
      'ValidationException',
      'Cannot delete event bus default.',
    ]);
    const bad = await h.error('CreateEventBus', { Name: 'a b' });
    expect(bad.message).toBe(
      "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+',
    );
  });

  it('pages ListEventBuses with Limit and NextToken', async () => {
    const h = harness();
    for (const name of ['b1', 'b2', 'b3']) await h.call('CreateEventBus', { Name: name });
    const first = await h.call<{ EventBuses: { Name: string }[]; NextToken?: string }>(
      'ListEventBuses',
      { Limit: 2 },
    );
    expect(first.EventBuses.map((b) => b.Name)).toEqual(['b1', 'b2']);
    const second = await h.call<{ EventBuses: { Name: string }[]; NextToken?: string }>(
      'ListEventBuses',
      { Limit: 2, NextToken: first.NextToken },
    );
    expect(second.EventBuses.map((b) => b.Name)).toEqual(['b3', 'default']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('rules', () => {
  it('puts, describes, lists, disables, enables and deletes rules', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    const put = await h.call('PutRule', {
      Name: 'orders',
      EventBusName: 'shop',
      EventPattern: pattern,
      Description: 'orders to the queue',
    });
    expect(put).toEqual({ RuleArn: `arn:aws:events:us-east-1:000000000000:rule/shop/orders` });
    const onDefault = await h.call('PutRule', {
      Name: 'tick',
      ScheduleExpression: 'rate(5 minutes)',
    });
    expect(onDefault).toEqual({ RuleArn: 'arn:aws:events:us-east-1:000000000000:rule/tick' });

    expect(await h.call('DescribeRule', { Name: 'orders', EventBusName: busArn('shop') })).toEqual({
      Name: 'orders',
      Arn: 'arn:aws:events:us-east-1:000000000000:rule/shop/orders',
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'orders to the queue',
      EventBusName: 'shop',
      CreatedBy: '000000000000',
    });

    await h.call('DisableRule', { Name: 'orders', EventBusName: 'shop' });
    const listed = await h.call<{ Rules: { Name: string; State: string }[] }>('ListRules', {
      EventBusName: 'shop',
      NamePrefix: 'ord',
    });
    expect(listed.Rules).toEqual([expect.objectContaining({ Name: 'orders', State: 'DISABLED' })]);
    await h.call('EnableRule', { Name: 'orders', EventBusName: 'shop' });
    expect((await h.call('DescribeRule', { Name: 'orders', EventBusName: 'shop' }))['State']).toBe(
      'ENABLED',
    );

    await h.call('DeleteRule', { Name: 'orders', EventBusName: 'shop' });
    await h.call('DeleteRule', { Name: 'orders', EventBusName: 'shop' }); // idempotent
    const gone = await h.error('DescribeRule', { Name: 'orders', EventBusName: 'shop' });
    expect([gone.code, gone.message]).toEqual([
      'ResourceNotFoundException',
      'Rule orders does not exist on EventBus shop.',
    ]);
  });

  it('validates PutRule as AWS does', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    expect((await h.error('PutRule', { Name: 'r' })).message).toBe(
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
    expect(
      (
        await h.error('PutRule', {
          Name: 'r',
          EventBusName: 'shop',
          ScheduleExpression: 'rate(1 hour)',
        })
      ).message,
    ).toBe('ScheduleExpression is supported only on the default event bus.');
    expect(
      (await h.error('PutRule', { Name: 'r', ScheduleExpression: 'every hour' })).message,
    ).toBe('Parameter ScheduleExpression is not valid.');
    expect(
      (await h.error('PutRule', { Name: 'r', EventBusName: 'nope', EventPattern: pattern }))
        .message,
    ).toBe('Event bus nope does not exist.');
    const invalid = await h.error('PutRule', { Name: 'r', EventPattern: 'not json' });
    expect(invalid.code).toBe('InvalidEventPatternException');
    const longName = await h.error('PutRule', { Name: 'x'.repeat(65), EventPattern: pattern });
    expect(longName.message).toContain('Member must have length less than or equal to 64');
  });

  it('keeps targets when a rule is put again and refuses to delete a rule with targets', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: pattern, State: 'DISABLED' });
    await h.call('PutTargets', { Rule: 'r', Targets: [{ Id: 'q', Arn: queueArn('q') }] });
    await h.call('PutRule', { Name: 'r', EventPattern: pattern });
    const rule = await h.call('DescribeRule', { Name: 'r' });
    expect(rule['State']).toBe('ENABLED'); // PutRule replaces: omitted State is ENABLED again
    expect(
      (await h.call<{ Targets: unknown[] }>('ListTargetsByRule', { Rule: 'r' })).Targets,
    ).toHaveLength(1);
    const refused = await h.error('DeleteRule', { Name: 'r' });
    expect([refused.code, refused.message]).toEqual([
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    ]);
  });
});

describe('targets', () => {
  it('puts, lists and removes targets with AWS result shapes', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: pattern });
    const put = await h.call('PutTargets', {
      Rule: 'r',
      Targets: [
        { Id: 'q', Arn: queueArn('q'), InputPath: '$.detail' },
        { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
        { Id: 'bad', Arn: 'not-an-arn' },
        { Id: 'fifo', Arn: queueArn('q.fifo') },
      ],
    });
    expect(put).toEqual({
      FailedEntryCount: 2,
      FailedEntries: [
        {
          TargetId: 'bad',
          ErrorCode: 'ValidationException',
          ErrorMessage:
            'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.',
        },
        {
          TargetId: 'fifo',
          ErrorCode: 'ValidationException',
          ErrorMessage: 'Parameter(s) SqsParameters must be specified for target: fifo.',
        },
      ],
    });
    const listed = await h.call<{ Targets: unknown[] }>('ListTargetsByRule', { Rule: 'r' });
    expect(listed.Targets).toEqual([
      { Id: 'q', Arn: queueArn('q'), InputPath: '$.detail' },
      { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
    ]);
    expect(await h.call('ListRuleNamesByTarget', { TargetArn: queueArn('q') })).toEqual({
      RuleNames: ['r'],
    });

    const removed = await h.call('RemoveTargets', { Rule: 'r', Ids: ['q', 'ghost'] });
    expect(removed).toEqual({
      FailedEntryCount: 1,
      FailedEntries: [
        {
          TargetId: 'ghost',
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: "Rule 'r' does not have a target with the Id 'ghost'.",
        },
      ],
    });
  });

  it('rejects conflicting inputs, unknown placeholders and more than five targets', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: pattern });
    const both = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: queueArn('q'), Input: '{}', InputPath: '$.detail' }],
    });
    expect(both.message).toBe(
      'Only one of Input, InputPath, or InputTransformer must be provided for target t.',
    );
    const placeholder = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [
        {
          Id: 't',
          Arn: queueArn('q'),
          InputTransformer: {
            InputPathsMap: { a: '$.id' },
            InputTemplate: '"<a> <notdefinedkey>"',
          },
        },
      ],
    });
    expect(placeholder.message).toBe(
      'InputTemplate for target t contains invalid placeholder notdefinedkey.',
    );
    const badId = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'a b', Arn: queueArn('q') }],
    });
    expect(badId.message).toBe(
      "1 validation error detected: Value 'a b' at 'targets.1.member.id' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: queueArn(`q${i}`) }));
    const limit = await h.error('PutTargets', { Rule: 'r', Targets: six });
    expect(limit.code).toBe('LimitExceededException');
    expect(
      (await h.call<{ Targets: unknown[] }>('ListTargetsByRule', { Rule: 'r' })).Targets,
    ).toEqual([]);
    const missingRule = await h.error('PutTargets', {
      Rule: 'nope',
      Targets: [{ Id: 't', Arn: queueArn('q') }],
    });
    expect(missingRule.message).toBe('Rule nope does not exist on EventBus default.');
  });

  it('tags buses and rules', async () => {
    const h = harness();
    const { RuleArn } = await h.call<{ RuleArn: string }>('PutRule', {
      Name: 'r',
      EventPattern: pattern,
      Tags: [{ Key: 'team', Value: 'orders' }],
    });
    await h.call('TagResource', { ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'local' }] });
    await h.call('UntagResource', { ResourceARN: RuleArn, TagKeys: ['team'] });
    expect(await h.call('ListTagsForResource', { ResourceARN: RuleArn })).toEqual({
      Tags: [{ Key: 'env', Value: 'local' }],
    });
  });

  it('answers unknown actions with UnknownOperationException', async () => {
    const h = harness();
    expect((await h.error('PutPartnerEvents')).code).toBe('UnknownOperationException');
  });
});
