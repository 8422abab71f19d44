import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { arnName } from '../shared/eventbridge.js';
import type { ReplayPlan, Route } from './plan.js';

/** A temporary rule this run created, and the queue-policy statements it added for it. */
export interface CreatedRule {
  readonly name: string;
  readonly arn: string;
  readonly targetIds: string[];
  readonly grants: { readonly queueUrl: string; readonly sid: string }[];
}

/**
 * Creates one temporary rule per route, each matching the route's pattern and
 * `replay-name` of this replay, with the route's rule's own targets (same
 * ids, input transformers, retry and dead-letter settings). Our subscription
 * queues accept messages only from their own rule (the queue policy names
 * the rule's ARN), so each target queue and target dead-letter queue also
 * gets a policy statement for the temporary rule, removed again by
 * `removeTemporaryRules`.
 *
 * `created` is filled as work is done, so a failure half-way can still be
 * cleaned up by the caller.
 */
export async function createTemporaryRules(
  target: AwsTarget,
  plan: ReplayPlan,
  created: CreatedRule[],
): Promise<void> {
  for (const route of plan.routes) {
    if (!route.temporary) continue;
    const { RuleArn } = await target.events.send(
      new PutRuleCommand({
        Name: route.temporary.name,
        EventBusName: plan.bus.name,
        EventPattern: JSON.stringify(route.temporary.pattern),
        State: 'ENABLED',
        Description: `Temporary, for replay ${plan.replayName} (ops replay); safe to delete if left behind.`,
      }),
    );
    const rule: CreatedRule = {
      name: route.temporary.name,
      arn: RuleArn!,
      targetIds: [],
      grants: [],
    };
    created.push(rule);
    await grantQueues(target, route, rule);
    const targets = route.rule.targets;
    const put = await target.events.send(
      new PutTargetsCommand({
        Rule: rule.name,
        EventBusName: plan.bus.name,
        Targets: [...targets],
      }),
    );
    rule.targetIds.push(...targets.map((t) => t.Id!));
    if (put.FailedEntryCount) {
      const why = (put.FailedEntries ?? [])
        .map((f) => `${f.TargetId}: ${f.ErrorMessage}`)
        .join('; ');
      throw new Error(`Could not add targets to temporary rule ${rule.name}: ${why}`);
    }
  }
}

/** The target queues, and their dead-letter queues: EventBridge sends to both as the rule. */
async function grantQueues(target: AwsTarget, route: Route, rule: CreatedRule): Promise<void> {
  const arns = new Set(
    route.rule.targets
      .flatMap((t) => [t.Arn, t.DeadLetterConfig?.Arn])
      .filter((arn): arn is string => arn?.split(':')[2] === 'sqs'),
  );
  for (const arn of arns) {
    const [, , , , account] = arn.split(':');
    const { QueueUrl } = await target.sqs.send(
      new GetQueueUrlCommand({ QueueName: arnName(arn), QueueOwnerAWSAccountId: account }),
    );
    const sid = `OpsReplay${rule.name.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 100);
    const policy = await readPolicy(target, QueueUrl!);
    policy.Statement = [
      ...policy.Statement.filter((s) => s['Sid'] !== sid),
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arn,
        Condition: { ArnEquals: { 'aws:SourceArn': rule.arn } },
      },
    ];
    await writePolicy(target, QueueUrl!, policy);
    rule.grants.push({ queueUrl: QueueUrl!, sid });
  }
}

/** Removes the rules and policy statements; returns what could not be removed, for the operator. */
export async function removeTemporaryRules(
  target: AwsTarget,
  busName: string,
  created: readonly CreatedRule[],
): Promise<string[]> {
  const left: string[] = [];
  for (const rule of created) {
    try {
      if (rule.targetIds.length) {
        await target.events.send(
          new RemoveTargetsCommand({ Rule: rule.name, EventBusName: busName, Ids: rule.targetIds }),
        );
      }
      await target.events.send(new DeleteRuleCommand({ Name: rule.name, EventBusName: busName }));
    } catch (err) {
      left.push(
        `rule ${rule.name} on bus ${busName} (${(err as Error).message}): ` +
          `aws events remove-targets --event-bus-name ${busName} --rule ${rule.name} --ids ${rule.targetIds.join(' ') || '<ids>'} ` +
          `&& aws events delete-rule --event-bus-name ${busName} --name ${rule.name}`,
      );
    }
    for (const grant of rule.grants) {
      try {
        const policy = await readPolicy(target, grant.queueUrl);
        policy.Statement = policy.Statement.filter((s) => s['Sid'] !== grant.sid);
        await writePolicy(target, grant.queueUrl, policy);
      } catch (err) {
        left.push(
          `statement ${grant.sid} in the policy of ${grant.queueUrl} (${(err as Error).message})`,
        );
      }
    }
  }
  return left;
}

interface PolicyDocument {
  Version?: string;
  Statement: Record<string, unknown>[];
  [key: string]: unknown;
}

async function readPolicy(target: AwsTarget, queueUrl: string): Promise<PolicyDocument> {
  const { Attributes } = await target.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy'] }),
  );
  const text = Attributes?.['Policy'];
  if (!text) return { Version: '2012-10-17', Statement: [] };
  const doc = JSON.parse(text) as PolicyDocument & { Statement?: unknown };
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement
    : doc.Statement === undefined
      ? []
      : [doc.Statement];
  return { ...doc, Statement: statements as Record<string, unknown>[] };
}

async function writePolicy(target: AwsTarget, queueUrl: string, policy: PolicyDocument) {
  // An empty policy is removed: SQS takes '' to mean "no policy".
  const value = policy.Statement.length ? JSON.stringify(policy) : '';
  await target.sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: value } }),
  );
}
