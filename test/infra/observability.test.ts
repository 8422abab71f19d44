/**
 * Alarms, their topic and the saga dashboard, over the whole app (synthesized
 * once, bundling skipped): every dead-letter queue, consumer, outbox publisher
 * and rule is watched, every alarm reaches the one topic, and the dashboard
 * graphs the saga and what carries it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { cancellationReason } from '../../events/common.js';
import { SHOP_METRICS } from '../../infra/constructs/shop-metrics.js';
import { projectRoot } from '../../infra/paths.js';
import { readConfig } from '../../infra/shop.js';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { synthShop, type SynthesizedShop } from './support/shop.js';
import {
  asArray,
  deadLetterQueueIds,
  exportsOf,
  flattenJoin,
  ofType,
  props,
  refOf,
  walk,
} from './support/template.js';

const SERVICE_STACKS = [
  'Shop-Orders',
  'Shop-Inventory',
  'Shop-Payments',
  'Shop-Shipping',
  'Shop-Notifications',
];
const PUBLISHING_STACKS = SERVICE_STACKS.filter((s) => s !== 'Shop-Notifications');
/** The longest a name a description embeds could be once deployed (queue names go to 80). */
const TOKEN_ALLOWANCE = 80;

let shop: SynthesizedShop;
let exported: ReturnType<typeof exportsOf>;
beforeAll(() => {
  shop = synthShop({ paymentProviderUrl: 'https://provider.example' });
  exported = exportsOf(shop.templates.entries());
});

const t = (stack: string) => {
  const template = shop.templates.get(stack);
  if (!template) throw new Error(`no stack ${stack}`);
  return template;
};

interface AlarmProps {
  id: string;
  p: Record<string, unknown>;
}
const alarmsOf = (stack: string): AlarmProps[] =>
  ofType(t(stack), 'AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, p: props(r) }));
const dimensions = (p: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    asArray(p.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]),
  );
/** Alarms on `metric` whose dimension `dimension` refers to the resource `logicalId`. */
const watching = (alarms: AlarmProps[], metric: string, dimension: string, logicalId: string) =>
  alarms.filter(
    (a) => a.p.MetricName === metric && refOf(dimensions(a.p)[dimension]) === logicalId,
  );
/**
 * The resource an `Fn::ImportValue` or an SSM-read parameter found in `value`
 * stands for, as `stack/logicalId`. CDK names a stack's parameter after the SSM
 * name it reads, so any stack's template resolves it.
 */
const imported = (value: unknown): string | undefined => {
  const name = [...shop.templates.values()]
    .map((template) => walk(value, template).imports[0])
    .find((n) => n !== undefined);
  const found = name === undefined ? undefined : exported.get(name);
  return found ? `${found.stack}/${refOf(found.value)}` : undefined;
};
const platformId = (type: string) => ofType(t('Shop-Platform'), type)[0]![0];

/** Functions whose event-source mapping reads a queue (consumers) or a table stream (publishers). */
function mappedFunctions(stack: string, source: 'queue' | 'stream'): string[] {
  const template = t(stack);
  const queues = new Set(ofType(template, 'AWS::SQS::Queue').map(([id]) => id));
  const tables = new Set(ofType(template, 'AWS::DynamoDB::Table').map(([id]) => id));
  return ofType(template, 'AWS::Lambda::EventSourceMapping')
    .filter(([, m]) => {
      const from = refOf(props(m).EventSourceArn) ?? '';
      return source === 'queue' ? queues.has(from) : tables.has(from);
    })
    .map(([, m]) => refOf(props(m).FunctionName)!);
}

describe('alarms', () => {
  it('every dead-letter queue alarms on any message, and on one older than 15 minutes', () => {
    let count = 0;
    for (const stack of SERVICE_STACKS) {
      const alarms = alarmsOf(stack);
      for (const dlq of deadLetterQueueIds(t(stack))) {
        count++;
        const depth = watching(alarms, 'ApproximateNumberOfMessagesVisible', 'QueueName', dlq);
        expect(depth, `${stack}/${dlq} depth`).toHaveLength(1);
        expect(depth[0]!.p).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
        const age = watching(alarms, 'ApproximateAgeOfOldestMessage', 'QueueName', dlq);
        expect(age, `${stack}/${dlq} age`).toHaveLength(1);
        expect(age[0]!.p).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Threshold: 15 * 60,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    }
    // One per subscription, one per outbox publisher, the orders deadlines' two, and the
    // order exports' two (jobs, callbacks).
    expect(count).toBe(SERVICE_STACKS.length + PUBLISHING_STACKS.length + 2 + 2);
  });

  it('every queue consumer alarms on errors and on throttles', () => {
    for (const stack of SERVICE_STACKS) {
      const consumers = mappedFunctions(stack, 'queue');
      expect(consumers.length, stack).toBeGreaterThan(0);
      for (const fn of consumers) {
        for (const metric of ['Errors', 'Throttles']) {
          const found = watching(alarmsOf(stack), metric, 'FunctionName', fn);
          expect(found, `${stack}/${fn} ${metric}`).toHaveLength(1);
          expect(found[0]!.p).toMatchObject({
            Namespace: 'AWS/Lambda',
            Statistic: 'Sum',
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          });
        }
      }
    }
  });

  it('every outbox publisher alarms on iterator age over 60 s and on entries it failed to publish', () => {
    for (const stack of SERVICE_STACKS) {
      // The order deadlines read the orders stream too; their lag alarm: test/infra/deadlines.test.ts.
      const publishers = mappedFunctions(stack, 'stream').filter((fn) =>
        fn.startsWith('Publisher'),
      );
      expect(publishers.length, stack).toBe(PUBLISHING_STACKS.includes(stack) ? 1 : 0);
      const alarms = alarmsOf(stack);
      for (const fn of publishers) {
        const age = watching(alarms, 'IteratorAge', 'FunctionName', fn);
        expect(age, `${stack}/${fn} IteratorAge`).toHaveLength(1);
        expect(age[0]!.p).toMatchObject({
          Namespace: 'AWS/Lambda',
          Statistic: 'Maximum',
          Threshold: 60_000,
        });
        const service = (
          props(ofType(t(stack), 'AWS::Lambda::Function').find(([id]) => id === fn)![1])
            .Environment as { Variables: Record<string, string> }
        ).Variables.POWERTOOLS_SERVICE_NAME;
        const failed = alarms.filter((a) => a.p.MetricName === SHOP_METRICS.outboxPublishFailed);
        expect(failed, `${stack} ${SHOP_METRICS.outboxPublishFailed}`).toHaveLength(1);
        expect(failed[0]!.p).toMatchObject({
          Namespace: 'Shop',
          Dimensions: [{ Name: 'service', Value: service }],
          Statistic: 'Sum',
          Threshold: 0,
        });
      }
    }
  });

  it('every subscription rule alarms on failed deliveries and on events it could not dead-letter', () => {
    const bus = `Shop-Platform/${platformId('AWS::Events::EventBus')}`;
    for (const stack of SERVICE_STACKS) {
      const rules = ofType(t(stack), 'AWS::Events::Rule');
      // Orders also routes its export jobs and export callbacks.
      expect(rules.length, stack).toBe(stack === 'Shop-Orders' ? 3 : 1);
      for (const [rule] of rules) {
        for (const metric of ['FailedInvocations', 'InvocationsFailedToBeSentToDlq']) {
          const found = watching(alarmsOf(stack), metric, 'RuleName', rule);
          expect(found, `${stack}/${rule} ${metric}`).toHaveLength(1);
          expect(found[0]!.p).toMatchObject({ Namespace: 'AWS/Events', Statistic: 'Sum' });
          // Rules on a custom bus are reported with both dimensions.
          expect(imported(dimensions(found[0]!.p).EventBusName)).toBe(bus);
        }
      }
    }
  });

  it('the platform alarms on failed deliveries of any rule on the bus (a Metrics Insights query)', () => {
    const alarms = alarmsOf('Shop-Platform');
    expect(alarms).toHaveLength(1);
    const [query] = alarms[0]!.p.Metrics as { Expression: unknown; Period: number }[];
    const { text, parts } = flattenJoin(query!.Expression);
    expect(text).toBe(
      `SELECT SUM(FailedInvocations) FROM SCHEMA("AWS/Events", EventBusName, RuleName) WHERE EventBusName = '@@0@@'`,
    );
    expect(refOf(parts[0])).toBe(platformId('AWS::Events::EventBus'));
    expect(query!.Period).toBe(60);
  });

  it('every alarm notifies the platform topic on ALARM and OK, on one bad minute, missing data being fine', () => {
    const topic = platformId('AWS::SNS::Topic');
    let count = 0;
    for (const [stack] of shop.templates) {
      for (const { id, p } of alarmsOf(stack)) {
        count++;
        const where = `${stack}/${id}`;
        for (const key of ['AlarmActions', 'OKActions']) {
          const actions = asArray(p[key] as unknown[]);
          expect(actions, `${where} ${key}`).toHaveLength(1);
          const target =
            stack === 'Shop-Platform' ? `Shop-Platform/${refOf(actions[0])}` : imported(actions[0]);
          expect(target, `${where} ${key}`).toBe(`Shop-Platform/${topic}`);
        }
        expect(p, where).toMatchObject({
          TreatMissingData: 'notBreaching',
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
        });
      }
    }
    expect(count).toBeGreaterThan(0);
    expect(alarmsOf('Shop-Dashboard')).toHaveLength(0);
  });

  it('every alarm says what to do, within the 1024 characters AWS allows', () => {
    for (const [stack] of shop.templates) {
      const template = t(stack);
      const dlqs = deadLetterQueueIds(template);
      const publisherDlqs = new Set(
        ofType(template, 'AWS::Lambda::EventSourceMapping')
          .map(([, m]) =>
            refOf(
              (props(m).DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)
                ?.OnFailure?.Destination,
            ),
          )
          .filter((id) => id !== undefined),
      );
      for (const { id, p } of alarmsOf(stack)) {
        const { text, parts } = flattenJoin(p.AlarmDescription);
        const deployedLength = text.replace(/@@\d+@@/g, '').length + parts.length * TOKEN_ALLOWANCE;
        expect(deployedLength, `${stack}/${id}`).toBeLessThanOrEqual(1024);
        expect(text.length, `${stack}/${id}`).toBeGreaterThan(80);
        const queue = refOf(dimensions(p).QueueName);
        if (queue && dlqs.has(queue)) {
          expect(text, `${stack}/${id}`).toContain('npm run dlq -- show @@');
          expect(text, `${stack}/${id}`).toContain(
            publisherDlqs.has(queue) ? 'npm run dlq -- discard @@' : 'npm run dlq -- redrive @@',
          );
          expect(parts.map(refOf)).toContain(queue);
        }
      }
    }
  });
});

describe('alarm topic', () => {
  it('is encrypted with its own rotating key, which CloudWatch may use', () => {
    const platform = t('Shop-Platform');
    const [keyId, key] = ofType(platform, 'AWS::KMS::Key')[0]!;
    const [, topic] = ofType(platform, 'AWS::SNS::Topic')[0]!;
    expect(ofType(platform, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(refOf(props(topic).KmsMasterKeyId)).toBe(keyId);
    expect(props(key).EnableKeyRotation).toBe(true);
    // Nothing is stored under it: it goes with the stack.
    expect(key.DeletionPolicy).toBe('Delete');
    const statements = (props(key).KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    // No key anywhere else: the queues use SSE-SQS (ADR 6).
    for (const stack of SERVICE_STACKS) expect(ofType(t(stack), 'AWS::KMS::Key')).toHaveLength(0);
  });

  it("takes messages only from this account's alarms, and only over TLS", () => {
    const platform = t('Shop-Platform');
    const topic = platformId('AWS::SNS::Topic');
    const policies = ofType(platform, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(1);
    expect(walk(props(policies[0]![1]).Topics).refs).toEqual([topic]);
    const statements = (
      props(policies[0]![1]).PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': expect.anything() },
      },
    });
    const sourceArn = walk(
      (allows[0]!.Condition as { ArnLike: Record<string, unknown> }).ArnLike['aws:SourceArn'],
    ).literals.join('');
    expect(sourceArn).toMatch(/:cloudwatch:.*:alarm:\*$/);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    platform.hasOutput('AlarmTopicArn', { Value: { Ref: topic } });
  });

  it('has no subscription unless -c alarmEmail= gives one', () => {
    for (const [stack] of shop.templates) {
      expect(ofType(t(stack), 'AWS::SNS::Subscription'), stack).toHaveLength(0);
    }
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const platform = Template.fromStack(
      new PlatformStack(app, 'P', {
        alarmEmail: 'oncall@example.com',
        issuerUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
        audience: 'client',
      }),
    );
    const [topic] = ofType(platform, 'AWS::SNS::Topic')[0]!;
    platform.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topic },
    });
  });

  it('reads alarmEmail from the context, refusing what is not an address', () => {
    const config = (context: Record<string, unknown>) =>
      readConfig(
        new App({ context: { paymentProviderUrl: 'https://provider.example', ...context } }),
      );
    expect(config({}).alarmEmail).toBeUndefined();
    expect(config({ alarmEmail: ' oncall@example.com ' }).alarmEmail).toBe('oncall@example.com');
    expect(() => config({ alarmEmail: 'oncall' })).toThrow(/alarmEmail.*"oncall"/);
  });
});

/** Every metric line of every widget: `[namespace, name, dim, value, ..., options]`. */
function dashboardMetrics() {
  const template = t('Shop-Dashboard');
  const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  const { text, parts } = flattenJoin(props(dashboards[0]![1]).DashboardBody);
  const body = JSON.parse(text) as {
    widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[];
  };
  const lines = body.widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((line) => {
      const options = (line.find((x) => typeof x === 'object') ?? {}) as Record<string, string>;
      const [namespace, name, ...rest] = line.filter((x) => typeof x === 'string');
      const dims: Record<string, unknown> = {};
      for (let i = 0; i + 1 < rest.length; i += 2) {
        const value = rest[i + 1]!;
        const token = /^@@(\d+)@@$/.exec(value);
        dims[rest[i]!] = token ? parts[Number(token[1])] : value;
      }
      return { widget: w.properties.title ?? '', namespace, name, dims, options };
    }),
  );
  return { body, lines, parts };
}

describe('saga dashboard', () => {
  it('is the only resource of its stack', () => {
    const types = ofType(t('Shop-Dashboard'), 'AWS::CloudWatch::Dashboard');
    expect(types).toHaveLength(1);
    const all = Object.values(
      (t('Shop-Dashboard').toJSON() as { Resources: Record<string, { Type: string }> }).Resources,
    ).map((r) => r.Type);
    expect(all.filter((type) => type !== 'AWS::CDK::Metadata')).toEqual([
      'AWS::CloudWatch::Dashboard',
    ]);
    t('Shop-Dashboard').hasOutput('DashboardName', {});
    t('Shop-Dashboard').hasOutput('DashboardUrl', {});
  });

  it('graphs orders placed, confirmed, cancelled by each reason, and p95 time to settle', () => {
    const { lines } = dashboardMetrics();
    const saga = lines.filter((l) => l.namespace === 'Shop' && l.dims.service === 'orders');
    const has = (name: string, extra: (l: (typeof saga)[number]) => boolean = () => true) =>
      saga.some((l) => l.name === name && extra(l));
    expect(has(SHOP_METRICS.ordersPlaced)).toBe(true);
    expect(has(SHOP_METRICS.ordersConfirmed)).toBe(true);
    for (const reason of cancellationReason.options) {
      expect(
        saga.some(
          (l) =>
            l.name === SHOP_METRICS.ordersCancelled &&
            l.dims.reason === reason &&
            /by reason/.test(l.widget),
        ),
        reason,
      ).toBe(true);
    }
    expect(has(SHOP_METRICS.orderSettleTime, (l) => l.options.stat === 'p95')).toBe(true);
  });

  it('graphs every subscription queue and dead-letter queue, consumer, publisher and rule', () => {
    const { lines } = dashboardMetrics();
    const graphed = (namespace: string, name: string, dim: string) =>
      new Set(
        lines
          .filter((l) => l.namespace === namespace && l.name === name)
          .map((l) => imported(l.dims[dim])),
      );
    const depth = graphed('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName');
    const age = graphed('AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName');
    const errors = graphed('AWS/Lambda', 'Errors', 'FunctionName');
    const throttles = graphed('AWS/Lambda', 'Throttles', 'FunctionName');
    const iteratorAge = graphed('AWS/Lambda', 'IteratorAge', 'FunctionName');
    const invocations = graphed('AWS/Events', 'Invocations', 'RuleName');
    const failed = graphed('AWS/Events', 'FailedInvocations', 'RuleName');
    for (const stack of SERVICE_STACKS) {
      const template = t(stack);
      const dlqs = deadLetterQueueIds(template);
      for (const [queue] of ofType(template, 'AWS::SQS::Queue')) {
        expect(depth.has(`${stack}/${queue}`), `${stack}/${queue} depth`).toBe(true);
        if (!dlqs.has(queue)) expect(age.has(`${stack}/${queue}`), `${stack}/${queue}`).toBe(true);
      }
      for (const fn of mappedFunctions(stack, 'queue')) {
        expect(errors.has(`${stack}/${fn}`), `${stack}/${fn} errors`).toBe(true);
        expect(throttles.has(`${stack}/${fn}`), `${stack}/${fn} throttles`).toBe(true);
      }
      for (const fn of mappedFunctions(stack, 'stream')) {
        expect(iteratorAge.has(`${stack}/${fn}`), `${stack}/${fn} iterator age`).toBe(true);
      }
      for (const [rule] of ofType(template, 'AWS::Events::Rule')) {
        expect(invocations.has(`${stack}/${rule}`), `${stack}/${rule}`).toBe(true);
        expect(failed.has(`${stack}/${rule}`), `${stack}/${rule}`).toBe(true);
      }
    }
    const publishedBy = new Set(
      lines.filter((l) => l.name === SHOP_METRICS.outboxPublishFailed).map((l) => l.dims.service),
    );
    expect([...publishedBy].sort()).toEqual(
      PUBLISHING_STACKS.map((s) => s.replace('Shop-', '').toLowerCase()).sort(),
    );
  });

  it('graphs every rule on the bus with Metrics Insights (replay rules included)', () => {
    const { body, parts } = dashboardMetrics();
    const expressions = body.widgets
      .flatMap((w) => w.properties.metrics ?? [])
      .flatMap((line) => line.filter((x) => typeof x === 'object'))
      .map((o) => (o as { expression?: string }).expression)
      .filter((e): e is string => e?.startsWith('SELECT') ?? false);
    for (const metric of ['Invocations', 'FailedInvocations', 'InvocationsFailedToBeSentToDlq']) {
      const query = expressions.find((e) => e.startsWith(`SELECT SUM(${metric})`));
      expect(query, metric).toBeDefined();
      const token = Number(/@@(\d+)@@/.exec(query!)![1]);
      expect(imported(parts[token])).toBe(`Shop-Platform/${platformId('AWS::Events::EventBus')}`);
    }
  });
});

describe('metric names', () => {
  it('are still emitted by the code the alarms and the dashboard rely on', () => {
    const source = (path: string) => readFileSync(join(projectRoot, path), 'utf8');
    const publisher = source('plumbing/publisher.ts');
    expect(publisher).toContain(`'${SHOP_METRICS.outboxPublished}'`);
    expect(publisher).toContain(`'${SHOP_METRICS.outboxPublishFailed}'`);
    const saga = source('functions/orders/handlers/saga-metrics.ts');
    for (const name of [
      SHOP_METRICS.ordersPlaced,
      SHOP_METRICS.ordersConfirmed,
      SHOP_METRICS.ordersCancelled,
      SHOP_METRICS.orderSettleTime,
    ]) {
      expect(saga, name).toContain(`'${name}'`);
    }
    expect(saga).toContain(`addDimension('reason'`);
  });
});
