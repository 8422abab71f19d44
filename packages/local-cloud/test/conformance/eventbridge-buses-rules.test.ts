/**
 * EventBridge buses, rules, targets, tags and bus permissions as the API
 * reference describes them, through the SDK: limits, validation messages in
 * AWS's "N validation errors detected" form, and the errors AWS names.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

const pattern = JSON.stringify({ source: ['shop.orders'] });
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function bus(): Promise<string> {
  const name = c.name('bus');
  await c.events.send(new CreateEventBusCommand({ Name: name }));
  return name;
}

async function rule(busName: string, name = c.name('rule')): Promise<string> {
  await c.events.send(
    new PutRuleCommand({ Name: name, EventBusName: busName, EventPattern: pattern }),
  );
  return name;
}

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteEventBus.html
describe('event buses', () => {
  it('creates, describes and deletes a bus; deleting twice is fine', async () => {
    const name = c.name('bus');
    const created = await c.events.send(
      new CreateEventBusCommand({ Name: name, Description: 'orders' }),
    );
    expect(created.EventBusArn).toBe(`arn:aws:events:us-east-1:000000000000:event-bus/${name}`);
    const described = await c.events.send(new DescribeEventBusCommand({ Name: name }));
    expect(described).toMatchObject({
      Name: name,
      Arn: created.EventBusArn,
      Description: 'orders',
    });
    await c.events.send(new DeleteEventBusCommand({ Name: name }));
    await c.events.send(new DeleteEventBusCommand({ Name: name }));
    expect(await failure(c.events.send(new DescribeEventBusCommand({ Name: name })))).toEqual({
      name: 'ResourceNotFoundException',
      message: `Event bus ${name} does not exist.`,
      status: 400,
    });
  });

  it('refuses a bus twice, and never deletes the default bus', async () => {
    const name = await bus();
    expect(await failure(c.events.send(new CreateEventBusCommand({ Name: name })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: `Event bus ${name} already exists.`,
      status: 400,
    });
    expect(await failure(c.events.send(new DeleteEventBusCommand({ Name: 'default' })))).toEqual({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
      status: 400,
    });
  });

  it('refuses a name outside [/\\.\\-_A-Za-z0-9]+ with the model constraint', async () => {
    const err = await failure(c.events.send(new CreateEventBusCommand({ Name: 'has space' })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
    );
  });

  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListEventBuses.html
  it('lists by NamePrefix and pages with Limit and NextToken', async () => {
    const prefix = c.name('listed');
    for (const n of ['a', 'b', 'c']) {
      await c.events.send(new CreateEventBusCommand({ Name: `${prefix}-${n}` }));
    }
    const first = await c.events.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 2 }));
    expect(first.EventBuses?.map((b) => b.Name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const second = await c.events.send(
      new ListEventBusesCommand({ NamePrefix: prefix, Limit: 2, NextToken: first.NextToken }),
    );
    expect(second.EventBuses?.map((b) => b.Name)).toEqual([`${prefix}-c`]);
    expect(second.NextToken).toBeUndefined();
    const err = await failure(c.events.send(new ListEventBusesCommand({ Limit: 101 })));
    expect(err.message).toBe(
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
describe('PutRule', () => {
  it('refuses a name outside [\\.\\-_A-Za-z0-9]+ or over 64 characters', async () => {
    for (const Name of ['has space', 'r'.repeat(65)]) {
      const err = await failure(c.events.send(new PutRuleCommand({ Name, EventPattern: pattern })));
      expect(err.name).toBe('ValidationException');
      expect(err.message).toMatch(/^1 validation error detected: Value '.+' at 'name' failed/);
    }
  });

  it('needs an EventPattern or a ScheduleExpression, and schedules only on the default bus', async () => {
    const name = c.name('rule');
    expect(await failure(c.events.send(new PutRuleCommand({ Name: name })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    const custom = await bus();
    expect(
      await failure(
        c.events.send(
          new PutRuleCommand({
            Name: name,
            EventBusName: custom,
            ScheduleExpression: 'rate(5 minutes)',
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
    expect(
      await failure(
        c.events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'every 5 minutes' })),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
    });
  });

  it('refuses an invalid pattern with InvalidEventPatternException', async () => {
    const err = await failure(
      c.events.send(
        new PutRuleCommand({ Name: c.name('rule'), EventPattern: '{"source": "not-a-list"}' }),
      ),
    );
    expect(err).toMatchObject({ name: 'InvalidEventPatternException', status: 400 });
    expect(err.message).toMatch(/^Event pattern is not valid\. Reason: /);
  });

  it('describes the rule, and disables and enables it', async () => {
    const b = await bus();
    const name = await rule(b);
    const described = await c.events.send(new DescribeRuleCommand({ Name: name, EventBusName: b }));
    expect(described).toMatchObject({
      Name: name,
      EventBusName: b,
      EventPattern: pattern,
      State: 'ENABLED',
      Arn: `arn:aws:events:us-east-1:000000000000:rule/${b}/${name}`,
    });
    await c.events.send(new DisableRuleCommand({ Name: name, EventBusName: b }));
    expect(
      (await c.events.send(new DescribeRuleCommand({ Name: name, EventBusName: b }))).State,
    ).toBe('DISABLED');
    await c.events.send(new EnableRuleCommand({ Name: name, EventBusName: b }));
    expect(
      (await c.events.send(new DescribeRuleCommand({ Name: name, EventBusName: b }))).State,
    ).toBe('ENABLED');
    expect(
      await failure(c.events.send(new DescribeRuleCommand({ Name: 'nope', EventBusName: b }))),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Rule nope does not exist on EventBus ${b}.`,
    });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRuleNamesByTarget.html
describe('ListRules and ListRuleNamesByTarget', () => {
  it('lists rules by NamePrefix, paged by Limit', async () => {
    const b = await bus();
    for (const n of ['a', 'b', 'c']) await rule(b, `orders-${n}`);
    await rule(b, 'payments');
    const first = await c.events.send(
      new ListRulesCommand({ EventBusName: b, NamePrefix: 'orders-', Limit: 2 }),
    );
    expect(first.Rules?.map((r) => r.Name)).toEqual(['orders-a', 'orders-b']);
    const second = await c.events.send(
      new ListRulesCommand({
        EventBusName: b,
        NamePrefix: 'orders-',
        Limit: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.Rules?.map((r) => r.Name)).toEqual(['orders-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('names the rules that target an ARN', async () => {
    const b = await bus();
    const [one, two] = [await rule(b), await rule(b)];
    await rule(b);
    for (const r of [one, two]) {
      await c.events.send(
        new PutTargetsCommand({
          Rule: r,
          EventBusName: b,
          Targets: [{ Id: 't', Arn: queueArn('shared') }],
        }),
      );
    }
    const out = await c.events.send(
      new ListRuleNamesByTargetCommand({ TargetArn: queueArn('shared'), EventBusName: b }),
    );
    expect(out.RuleNames).toEqual([one, two].sort());
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html
describe('targets', () => {
  it('keeps at most 5 targets per rule', async () => {
    const b = await bus();
    const r = await rule(b);
    const targets = (ids: string[]) => ids.map((Id) => ({ Id, Arn: queueArn(Id) }));
    await c.events.send(
      new PutTargetsCommand({
        Rule: r,
        EventBusName: b,
        Targets: targets(['1', '2', '3', '4', '5']),
      }),
    );
    const err = await failure(
      c.events.send(new PutTargetsCommand({ Rule: r, EventBusName: b, Targets: targets(['6']) })),
    );
    expect(err).toMatchObject({ name: 'LimitExceededException', status: 400 });
    expect(err.message).toMatch(/^The requested resource exceeds the maximum number allowed\./);
    // Replacing a target by its id is no new target.
    await c.events.send(
      new PutTargetsCommand({ Rule: r, EventBusName: b, Targets: targets(['5']) }),
    );
  });

  it('refuses more than 10 targets in one request, and ids outside [\\.\\-_A-Za-z0-9]+', async () => {
    const b = await bus();
    const r = await rule(b);
    const eleven = Array.from({ length: 11 }, (_, n) => ({ Id: `t${n}`, Arn: queueArn('q') }));
    const tooMany = await failure(
      c.events.send(new PutTargetsCommand({ Rule: r, EventBusName: b, Targets: eleven })),
    );
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toMatch(
      /at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    const badId = await failure(
      c.events.send(
        new PutTargetsCommand({
          Rule: r,
          EventBusName: b,
          Targets: [{ Id: 'a b', Arn: queueArn('q') }],
        }),
      ),
    );
    expect(badId.message).toBe(
      "1 validation error detected: Value 'a b' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
  });

  it('lists and removes targets, and deletes a rule only once it has none', async () => {
    const b = await bus();
    const r = await rule(b);
    await c.events.send(
      new PutTargetsCommand({
        Rule: r,
        EventBusName: b,
        Targets: [{ Id: 't', Arn: queueArn('q') }],
      }),
    );
    const listed = await c.events.send(new ListTargetsByRuleCommand({ Rule: r, EventBusName: b }));
    expect(listed.Targets).toEqual([{ Id: 't', Arn: queueArn('q') }]);
    expect(
      await failure(c.events.send(new DeleteRuleCommand({ Name: r, EventBusName: b }))),
    ).toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    const removed = await c.events.send(
      new RemoveTargetsCommand({ Rule: r, EventBusName: b, Ids: ['t'] }),
    );
    expect(removed.FailedEntryCount).toBe(0);
    await c.events.send(new DeleteRuleCommand({ Name: r, EventBusName: b }));
    expect(
      await failure(c.events.send(new DescribeRuleCommand({ Name: r, EventBusName: b }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTagsForResource.html
describe('tags', () => {
  it('tags buses and rules, and untags them', async () => {
    const b = await bus();
    const r = await rule(b);
    const ruleArn = `arn:aws:events:us-east-1:000000000000:rule/${b}/${r}`;
    await c.events.send(
      new TagResourceCommand({ ResourceARN: ruleArn, Tags: [{ Key: 'team', Value: 'shop' }] }),
    );
    await c.events.send(
      new TagResourceCommand({ ResourceARN: ruleArn, Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    const tags = await c.events.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'shop' },
        { Key: 'env', Value: 'dev' },
      ]),
    );
    await c.events.send(new UntagResourceCommand({ ResourceARN: ruleArn, TagKeys: ['team'] }));
    expect(
      (await c.events.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }))).Tags,
    ).toEqual([{ Key: 'env', Value: 'dev' }]);
    const missing = `arn:aws:events:us-east-1:000000000000:rule/${b}/nope`;
    expect(
      await failure(c.events.send(new ListTagsForResourceCommand({ ResourceARN: missing }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemovePermission.html
describe('bus permissions', () => {
  it("writes statements into the bus's Policy and removes them by id", async () => {
    const b = await bus();
    await c.events.send(
      new PutPermissionCommand({
        EventBusName: b,
        StatementId: 'partner',
        Principal: '111111111111',
        Action: 'events:PutEvents',
      }),
    );
    const described = await c.events.send(new DescribeEventBusCommand({ Name: b }));
    expect(JSON.parse(described.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'events:PutEvents',
          Resource: `arn:aws:events:us-east-1:000000000000:event-bus/${b}`,
        },
      ],
    });
    expect(
      await failure(
        c.events.send(
          new PutPermissionCommand({
            EventBusName: b,
            StatementId: 'other',
            Principal: '111111111111',
            Action: 'events:DeleteRule',
          }),
        ),
      ),
    ).toMatchObject({
      name: 'ValidationException',
      message: "Provided value in parameter 'action' is not supported.",
    });
    expect(
      await failure(
        c.events.send(new RemovePermissionCommand({ EventBusName: b, StatementId: 'nope' })),
      ),
    ).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Statement with the provided id does not exist.',
    });
    await c.events.send(new RemovePermissionCommand({ EventBusName: b, StatementId: 'partner' }));
    const after = await c.events.send(new DescribeEventBusCommand({ Name: b }));
    expect(JSON.parse(after.Policy ?? '{"Statement":[]}').Statement).toEqual([]);
  });
});
