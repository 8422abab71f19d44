/**
 * Template assertions over the whole app (synthesized once, bundling skipped):
 * the facts the design depends on, checked for every service.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { allContracts } from '../../events/catalog.js';
import { patternFor, type EventContract } from '../../events/contract.js';
import { jsonSchemaOf } from '../../events/json-schema.js';
import { consumes as inventoryConsumes } from '../../functions/inventory/consumes.js';
import { consumes as notificationsConsumes } from '../../functions/notifications/consumes.js';
import { consumes as ordersConsumes } from '../../functions/orders/consumes.js';
import { consumes as paymentsConsumes } from '../../functions/payments/consumes.js';
import { consumes as shippingConsumes } from '../../functions/shipping/consumes.js';
import { consumes as viewsConsumes } from '../../functions/views/consumes.js';
import type { ServiceFunction } from '../../infra/constructs/index.js';
import { buildShop, readConfig } from '../../infra/shop.js';
import { registrySchemaName } from '../../infra/stacks/platform-stack.js';
import { synthShop, type SynthesizedShop } from './support/shop.js';
import {
  asArray,
  deadLetterQueueIds,
  exportsOf,
  functionOfRole,
  ofType,
  policyStatements,
  props,
  refOf,
  resources,
  walk,
  type CfnResource,
} from './support/template.js';

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** What each service stack must have, from the spec. */
const SERVICES: {
  stack: string;
  consumes: readonly EventContract[];
  publishes: boolean;
  gsi1: boolean;
  routes: string[];
  /** Indexes besides gsi1. */
  indexes?: string[];
}[] = [
  {
    stack: 'Shop-Orders',
    consumes: ordersConsumes,
    publishes: true,
    gsi1: false,
    routes: [
      'POST /orders',
      'GET /orders/{orderId}',
      'POST /orders/{orderId}/cancel',
      'POST /exports',
      'GET /exports/{exportId}',
    ],
    // Order exports read orders by customer and by day (test/infra/exports.test.ts).
    indexes: ['ordersByCustomer', 'ordersByDay'],
  },
  {
    stack: 'Shop-Inventory',
    consumes: inventoryConsumes,
    publishes: true,
    gsi1: false,
    routes: ['PUT /products/{sku}', 'POST /products/{sku}/restock', 'GET /products/{sku}'],
  },
  {
    stack: 'Shop-Payments',
    consumes: paymentsConsumes,
    publishes: true,
    gsi1: false,
    routes: ['GET /payments/{orderId}'],
  },
  {
    stack: 'Shop-Shipping',
    consumes: shippingConsumes,
    publishes: true,
    gsi1: false,
    routes: ['POST /shipments/{shipmentId}/events', 'GET /shipments/{shipmentId}'],
  },
  {
    stack: 'Shop-Notifications',
    consumes: notificationsConsumes,
    publishes: false,
    gsi1: true,
    routes: ['GET /customers/{customerId}/notifications'],
  },
  {
    stack: 'Shop-Views',
    consumes: viewsConsumes,
    publishes: false,
    gsi1: true,
    routes: ['GET /customers/me/orders', 'GET /orders/{orderId}/timeline'],
  },
];

/**
 * Actions AWS only grants on `*`; anything else on `*` fails the test.
 * Each with the reason it cannot be scoped.
 */
const STAR_ONLY_ACTIONS: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray has no resource types; needed by tracing: ACTIVE',
  'xray:PutTelemetryRecords': 'X-Ray has no resource types; needed by tracing: ACTIVE',
  'dynamodb:ListStreams':
    'ListStreams has no resource type; the stream event source lists the table stream with it',
};

/**
 * Properties ending in `Name` that may hold a literal, each because AWS requires
 * a value and the value is not a hand-picked global name.
 */
const NAME_EXCEPTIONS: Record<string, string> = {
  'AWS::ApiGatewayV2::Api.Name':
    'required by CloudFormation; CDK fills in the construct id, API names need not be unique',
  'AWS::ApiGatewayV2::Stage.StageName':
    '`$default` is the name API Gateway gives the default stage',
  'AWS::Events::EventBus.Name':
    'required by CloudFormation; CDK generates it from the construct path and a hash',
  'AWS::EventSchemas::Schema.SchemaName':
    "a schema's name is the contract's identity (`source@DetailType`), not a resource name",
  'AWS::IAM::Policy.PolicyName':
    'required by CloudFormation; CDK generates it, and it is unique only within its role',
  'AWS::Scheduler::ScheduleGroup.Name':
    "`<stack>-deadlines`: the deadline function's policy names the schedules of the group it may create (docs/adr/0017)",
  'AWS::SSM::Parameter.Name':
    'the platform parameters are found by name at deploy time: stable names are the design (docs/adr/0013)',
  'AWS::Cognito::UserPoolGroup.GroupName':
    '`operators` is what tokens carry in cognito:groups and handlers check, not a resource name',
  'AWS::ApiGatewayV2::Authorizer.Name':
    'required by CloudFormation; CDK fills in the construct id, unique only within the API',
  'AWS::CloudWatch::Alarm.MetricName':
    "the name of the metric watched (AWS's, or one our code emits), not of a resource",
};

let shop: SynthesizedShop;
beforeAll(() => {
  shop = synthShop({ paymentProviderUrl: 'https://provider.example' });
});

const t = (stack: string) => {
  const template = shop.templates.get(stack);
  if (!template) throw new Error(`no stack ${stack}`);
  return template;
};
const all = () => [...shop.templates.entries()];
const busId = () => ofType(t('Shop-Platform'), 'AWS::Events::EventBus')[0]![0];
const queues = (stack: string) => new Map(ofType(t(stack), 'AWS::SQS::Queue'));

describe('the app', () => {
  it('has the identity and platform stacks, one stack per service, the edge and dashboard stacks', () => {
    expect([...shop.templates.keys()].sort()).toEqual(
      [
        'Shop-Identity',
        'Shop-Platform',
        ...SERVICES.map((s) => s.stack),
        'Shop-Edge',
        'Shop-Dashboard',
      ].sort(),
    );
  });
});

describe('platform', () => {
  it('has one bus, named by CDK (a generated name, passed to functions as EVENT_BUS_NAME)', () => {
    const buses = ofType(t('Shop-Platform'), 'AWS::Events::EventBus');
    expect(buses).toHaveLength(1);
    expect(props(buses[0]![1]).Name).toMatch(/^ShopPlatformBus[0-9A-F]{8}$/);
  });

  it('archives every shop.* event for 30 days', () => {
    const bus = busId();
    t('Shop-Platform').hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [bus, 'Arn'] },
      EventPattern: { source: [{ prefix: 'shop.' }] },
      RetentionDays: 30,
    });
  });

  it('publishes one JSON Schema per contract to the schema registry', () => {
    const schemas = ofType(t('Shop-Platform'), 'AWS::EventSchemas::Schema');
    const [registryId] = ofType(t('Shop-Platform'), 'AWS::EventSchemas::Registry')[0]!;
    expect(schemas).toHaveLength(allContracts.length);
    for (const contract of allContracts) {
      const found = schemas.find(([, s]) => props(s).SchemaName === registrySchemaName(contract));
      expect(found, `schema of ${contract.detailType}`).toBeDefined();
      const p = props(found![1]);
      expect(p.Type).toBe('JSONSchemaDraft4');
      expect(refOf(p.RegistryName)).toBe(registryId);
      expect(JSON.parse(p.Content as string)).toEqual(jsonSchemaOf(contract));
    }
  });

  it('has an HTTP API without CORS, whose auto-deployed, throttled $default stage is in the edge stack', () => {
    const api = ofType(t('Shop-Platform'), 'AWS::ApiGatewayV2::Api');
    expect(api).toHaveLength(1);
    expect(props(api[0]![1]).ProtocolType).toBe('HTTP');
    expect(props(api[0]![1]).CorsConfiguration).toBeUndefined();
    expect(ofType(t('Shop-Platform'), 'AWS::ApiGatewayV2::Stage')).toHaveLength(0);
    t('Shop-Edge').hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    t('Shop-Platform').hasOutput('ApiUrl', {});
    t('Shop-Platform').hasOutput('EventBusName', {});
  });
});

describe('routes', () => {
  it('has every route of the spec, each in its service stack, on the platform API', () => {
    const exported = exportsOf(all());
    const [apiId] = ofType(t('Shop-Platform'), 'AWS::ApiGatewayV2::Api')[0]!;
    for (const service of SERVICES) {
      const routes = ofType(t(service.stack), 'AWS::ApiGatewayV2::Route');
      expect(routes.map(([, r]) => props(r).RouteKey).sort(), service.stack).toEqual(
        [...service.routes].sort(),
      );
      for (const [, route] of routes) {
        const { imports } = walk(props(route).ApiId, t(service.stack));
        expect(imports).toHaveLength(1);
        expect(refOf(exported.get(imports[0]!)?.value)).toBe(apiId);
      }
    }
    expect(ofType(t('Shop-Platform'), 'AWS::ApiGatewayV2::Route')).toHaveLength(0);
  });

  it('lets API Gateway invoke each route function only for its own route', () => {
    for (const service of SERVICES) {
      const template = t(service.stack);
      const integrations = new Map(ofType(template, 'AWS::ApiGatewayV2::Integration'));
      const permissions = ofType(template, 'AWS::Lambda::Permission').filter(
        ([, p]) => props(p).Principal === 'apigateway.amazonaws.com',
      );
      for (const [, route] of ofType(template, 'AWS::ApiGatewayV2::Route')) {
        const integrationId = walk(props(route).Target).refs[0]!;
        const fnId = refOf(props(integrations.get(integrationId)!).IntegrationUri);
        const path = (props(route).RouteKey as string).split(' ')[1]!;
        const allowed = permissions.filter(([, p]) => refOf(props(p).FunctionName) === fnId);
        expect(allowed, `${props(route).RouteKey as string}`).toHaveLength(1);
        expect(walk(props(allowed[0]![1]).SourceArn).literals.join('')).toContain(`/*/*${path}`);
      }
    }
  });
});

describe('subscriptions', () => {
  it('each service subscribes with exactly the contracts in its consumes.ts', () => {
    for (const service of SERVICES) {
      // Order exports' own rules (jobs, callbacks) are asserted in test/infra/exports.test.ts,
      // the views' rebuild rule (replayed events only) in test/infra/views.test.ts.
      const rules = ofType(t(service.stack), 'AWS::Events::Rule').filter(
        ([id]) => !id.startsWith('Exports') && !id.startsWith('Rebuild'),
      );
      expect(rules, service.stack).toHaveLength(1);
      expect(props(rules[0]![1]).EventPattern).toEqual(patternFor(service.consumes));
    }
  });

  it('every rule is on the platform bus and targets a queue that has a DLQ', () => {
    const exported = exportsOf(all());
    const bus = busId();
    for (const [stack, template] of all()) {
      const q = queues(stack);
      for (const [ruleId, rule] of ofType(template, 'AWS::Events::Rule')) {
        const busImport = walk(props(rule).EventBusName, template).imports[0]!;
        expect(refOf(exported.get(busImport)?.value), ruleId).toBe(bus);
        const targets = props(rule).Targets as Record<string, unknown>[];
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) {
          const queue = q.get(refOf(target.Arn) ?? '');
          expect(queue, `${stack}/${ruleId} targets a queue of its stack`).toBeDefined();
          const redrive = props(queue!).RedrivePolicy as Record<string, unknown> | undefined;
          expect(q.get(refOf(redrive?.deadLetterTargetArn) ?? ''), 'DLQ').toBeDefined();
          // Delivery failures and retries: a target DLQ and a retry policy.
          const dlc = target.DeadLetterConfig as Record<string, unknown> | undefined;
          expect(q.get(refOf(dlc?.Arn) ?? ''), 'target DLQ').toBeDefined();
          expect(target.RetryPolicy).toMatchObject({
            MaximumRetryAttempts: expect.any(Number),
            MaximumEventAgeInSeconds: expect.any(Number),
          });
        }
      }
    }
  });

  it('only the rule may send to its queue (policy scoped by the rule ARN)', () => {
    for (const [stack, template] of all()) {
      const rules = new Map(ofType(template, 'AWS::Events::Rule'));
      for (const [, policy] of ofType(template, 'AWS::SQS::QueuePolicy')) {
        const statements = (
          props(policy).PolicyDocument as { Statement: Record<string, unknown>[] }
        ).Statement;
        for (const s of statements.filter((x) => x.Effect === 'Allow')) {
          expect(s.Principal, stack).toEqual({ Service: 'events.amazonaws.com' });
          const ruleRef = refOf(
            (s.Condition as { ArnEquals?: Record<string, unknown> })?.ArnEquals?.['aws:SourceArn'],
          );
          expect(rules.has(ruleRef ?? ''), `${stack}: SourceArn condition names a rule`).toBe(true);
        }
      }
    }
  });

  it('every SQS event source reports batch item failures and has bounded concurrency', () => {
    for (const [stack, template] of all()) {
      const q = queues(stack);
      const sqsMappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) =>
        q.has(refOf(props(m).EventSourceArn) ?? ''),
      );
      if (stack.match(/^Shop-(Identity|Platform|Edge|Dashboard)$/) === null) {
        expect(sqsMappings.length, stack).toBeGreaterThan(0);
      }
      for (const [id, m] of sqsMappings) {
        expect(props(m).FunctionResponseTypes, `${stack}/${id}`).toEqual([
          'ReportBatchItemFailures',
        ]);
        expect(props(m).ScalingConfig).toMatchObject({ MaximumConcurrency: expect.any(Number) });
      }
    }
  });

  it("every queue's visibility timeout is at least 6x its consumer's timeout", () => {
    for (const [stack, template] of all()) {
      const q = queues(stack);
      const functions = new Map(ofType(template, 'AWS::Lambda::Function'));
      for (const [, m] of ofType(template, 'AWS::Lambda::EventSourceMapping')) {
        const queue = q.get(refOf(props(m).EventSourceArn) ?? '');
        if (!queue) continue;
        const fn = functions.get(refOf(props(m).FunctionName) ?? '');
        const timeout = (props(fn!).Timeout as number | undefined) ?? 3;
        expect(props(queue).VisibilityTimeout as number, stack).toBeGreaterThanOrEqual(6 * timeout);
      }
    }
  });

  it('payments charges with a 30 s function, small batches and a concurrency cap', () => {
    const template = t('Shop-Payments');
    const [fnId] = ofType(template, 'AWS::Lambda::Function').find(
      ([, f]) =>
        (props(f).Environment as { Variables: Record<string, unknown> }).Variables
          .PAYMENT_PROVIDER_URL !== undefined,
    )!;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      Environment: {
        Variables: Match.objectLike({
          PAYMENT_PROVIDER_URL: 'https://provider.example',
          PAYMENT_PROVIDER_TIMEOUT_MS: '2000',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      BatchSize: 3,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('queues', () => {
  it('every queue is encrypted and refuses plain HTTP', () => {
    for (const [stack, template] of all()) {
      for (const [id, queue] of ofType(template, 'AWS::SQS::Queue')) {
        const p = props(queue);
        expect(
          p.SqsManagedSseEnabled === true || p.KmsMasterKeyId !== undefined,
          `${stack}/${id}`,
        ).toBe(true);
      }
      const policies = ofType(template, 'AWS::SQS::QueuePolicy');
      for (const [id] of ofType(template, 'AWS::SQS::Queue')) {
        const denyPlain = policies.some(
          ([, p]) =>
            walk(props(p).Queues).refs.includes(id) &&
            JSON.stringify(props(p).PolicyDocument).includes('"aws:SecureTransport":"false"'),
        );
        expect(denyPlain, `${stack}/${id} enforces TLS`).toBe(true);
      }
    }
  });

  it('every dead-letter queue keeps messages 14 days, and every other queue has one', () => {
    for (const [stack, template] of all()) {
      const q = queues(stack);
      const dlqs = new Set<string>();
      for (const [, queue] of q) {
        const target = refOf(
          (props(queue).RedrivePolicy as Record<string, unknown>)?.deadLetterTargetArn,
        );
        if (target) dlqs.add(target);
      }
      for (const [, rule] of ofType(template, 'AWS::Events::Rule')) {
        for (const target of props(rule).Targets as Record<string, unknown>[]) {
          const arn = refOf((target.DeadLetterConfig as Record<string, unknown>)?.Arn);
          if (arn) dlqs.add(arn);
        }
      }
      for (const [, m] of ofType(template, 'AWS::Lambda::EventSourceMapping')) {
        const onFailure = (props(m).DestinationConfig as { OnFailure?: { Destination: unknown } })
          ?.OnFailure?.Destination;
        const id = refOf(onFailure);
        if (id) dlqs.add(id);
      }
      // The dead-letter queue of schedules a function creates (the order deadlines).
      for (const id of deadLetterQueueIds(template)) dlqs.add(id);
      for (const [id, queue] of q) {
        if (dlqs.has(id)) {
          expect(props(queue).MessageRetentionPeriod, `${stack}/${id}`).toBe(FOURTEEN_DAYS);
        } else {
          expect(props(queue).RedrivePolicy, `${stack}/${id} has a DLQ`).toBeDefined();
        }
      }
    }
  });
});

describe('tables', () => {
  it('each service owns exactly one table: pk only, on demand, PITR, SSE, TTL, retained', () => {
    for (const service of SERVICES) {
      const template = t(service.stack);
      const tables = ofType(template, 'AWS::DynamoDB::Table');
      expect(tables, service.stack).toHaveLength(1);
      const [, table] = tables[0]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(props(table)).toMatchObject({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      });
      if (service.publishes) {
        expect(props(table).StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      } else {
        expect(props(table).StreamSpecification).toBeUndefined();
      }
      const indexes = (props(table).GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
      expect(indexes.map((i) => i.IndexName)).toEqual([
        ...(service.gsi1 ? ['gsi1'] : []),
        ...(service.indexes ?? []),
      ]);
      template.hasOutput('TableName', {});
    }
  });

  it('only stateful resources are retained, and they live under State/', () => {
    for (const [stack, template] of all()) {
      for (const [id, r] of Object.entries(resources(template))) {
        // The PII key is as stateful as the ciphertexts in the tables; the alarm topic's is not.
        const stateful =
          [
            'AWS::DynamoDB::Table',
            'AWS::SecretsManager::Secret',
            'AWS::Cognito::UserPool',
            'AWS::S3::Bucket',
          ].includes(r.Type) ||
          (r.Type === 'AWS::KMS::Key' && id.startsWith('StatePiiKey'));
        expect(r.DeletionPolicy === 'Retain', `${stack}/${id} (${r.Type})`).toBe(stateful);
        if (stateful) expect(id.startsWith('State'), `${stack}/${id}`).toBe(true);
      }
    }
  });
});

describe('outbox publisher', () => {
  it('each publishing service drains its table stream into the bus, inserted outbox rows only', () => {
    for (const service of SERVICES) {
      const template = t(service.stack);
      const [tableId] = ofType(template, 'AWS::DynamoDB::Table')[0]!;
      // The publisher's; the order deadlines read the orders stream too (test/infra/deadlines.test.ts).
      const streamMappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
        ([, m]) =>
          refOf(props(m).EventSourceArn) === tableId &&
          refOf(props(m).FunctionName)?.startsWith('Publisher'),
      );
      if (!service.publishes) {
        expect(streamMappings, service.stack).toHaveLength(0);
        continue;
      }
      expect(streamMappings, service.stack).toHaveLength(1);
      const m = props(streamMappings[0]![1]);
      expect(m).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ParallelizationFactor: 1,
      });
      expect(m.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(m.MaximumRetryAttempts).toBeLessThanOrEqual(100);
      const filters = (m.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } },
      ]);
      const dlq = queues(service.stack).get(
        refOf(
          (m.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination,
        ) ?? '',
      );
      expect(dlq, 'on-failure destination is a queue').toBeDefined();
      template.hasOutput('PublisherDeadLetterQueueUrl', {});
    }
  });
});

describe('functions', () => {
  it('run Node.js 24 on ARM with tracing, source maps, JSON logs without INFO platform records, and Powertools settings', () => {
    for (const [stack, template] of all()) {
      for (const [id, fn] of ofType(template, 'AWS::Lambda::Function')) {
        const p = props(fn);
        expect(p.Runtime, `${stack}/${id}`).toBe('nodejs24.x');
        expect(p.Architectures).toEqual(['arm64']);
        expect(p.Handler).toBe('index.handler');
        expect(p.TracingConfig).toEqual({ Mode: 'Active' });
        expect(refOf((p.LoggingConfig as { LogGroup?: unknown })?.LogGroup)).toBeDefined();
        // JSON, so the service's INFO records (START / END / REPORT) can be left out.
        expect(p.LoggingConfig, `${stack}/${id}`).toMatchObject({
          LogFormat: 'JSON',
          SystemLogLevel: 'WARN',
        });
        const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(env).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: stack.replace('Shop-', '').toLowerCase(),
          POWERTOOLS_METRICS_NAMESPACE: 'Shop',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        });
        // Publishers need the bus, not the table (the stream brings them the rows).
        if (id.startsWith('Publisher')) {
          const busImport = walk(env.EVENT_BUS_NAME, template).imports[0] ?? '';
          expect(refOf(exportsOf(all()).get(busImport)?.value), `${stack}/${id}`).toBe(busId());
          expect(env.TABLE_NAME).toBeUndefined();
        } else {
          expect(refOf(env.TABLE_NAME), `${stack}/${id} TABLE_NAME`).toBe(
            ofType(template, 'AWS::DynamoDB::Table')[0]![0],
          );
        }
      }
    }
  });

  it('log groups have a retention', () => {
    for (const [stack, template] of all()) {
      for (const [id, group] of ofType(template, 'AWS::Logs::LogGroup')) {
        expect(props(group).RetentionInDays, `${stack}/${id}`).toEqual(expect.any(Number));
      }
    }
  });
});

describe('permissions', () => {
  it('no statement allows * except for the actions AWS only grants on *', () => {
    for (const [stack, template] of all()) {
      for (const { policyId, statement } of policyStatements(template)) {
        if (statement.Effect !== 'Allow') continue;
        if (!asArray(statement.Resource as unknown[]).includes('*')) continue;
        for (const action of asArray(statement.Action)) {
          expect(
            STAR_ONLY_ACTIONS[action],
            `${stack}/${policyId}: ${action} on * (scope it, or add it to STAR_ONLY_ACTIONS with a reason)`,
          ).toBeDefined();
        }
      }
    }
  });

  it("each service's functions touch only their own table", () => {
    for (const [stack, template] of all()) {
      const tableIds = ofType(template, 'AWS::DynamoDB::Table').map(([id]) => id);
      for (const { policyId, statement } of policyStatements(template)) {
        const dynamo = asArray(statement.Action).filter(
          (a) => a.startsWith('dynamodb:') && !STAR_ONLY_ACTIONS[a],
        );
        if (dynamo.length === 0) continue;
        const { refs, imports, literals } = walk(statement.Resource, template);
        const where = `${stack}/${policyId}: ${dynamo.join(', ')}`;
        expect(imports, where).toEqual([]);
        expect(refs.length, where).toBeGreaterThan(0);
        expect(
          refs.every((r) => tableIds.length === 1 && r === tableIds[0]),
          where,
        ).toBe(true);
        expect(
          literals.every((l) => l === '' || /^\/index\/[A-Za-z0-9]+$/.test(l)),
          where,
        ).toBe(true);
      }
    }
  });

  it('events:PutEvents is granted on the bus only, to the outbox publishers only', () => {
    const exported = exportsOf(all());
    const bus = busId();
    let grants = 0;
    for (const [stack, template] of all()) {
      for (const { policyId, roles, statement } of policyStatements(template)) {
        if (!asArray(statement.Action).some((a) => a === 'events:PutEvents' || a === 'events:*'))
          continue;
        grants++;
        const { refs, imports } = walk(statement.Resource, template);
        expect(refs, `${stack}/${policyId}`).toEqual([]);
        expect(imports.map((i) => refOf(exported.get(i)?.value))).toEqual([bus]);
        for (const role of roles) {
          expect(functionOfRole(template, role), `${stack}/${policyId}`).toMatch(/^Publisher/);
        }
      }
    }
    expect(grants).toBe(SERVICES.filter((s) => s.publishes).length);
  });

  it('each secret is read only by the one function given its ARN', () => {
    const expected = [
      { stack: 'Shop-Shipping', env: 'CARRIER_WEBHOOK_SECRET_ARN', reader: /^CarrierWebhook/ },
      { stack: 'Shop-Payments', env: 'PROVIDER_CREDENTIAL_SECRET_ARN', reader: /^OnEvent/ },
    ];
    for (const { stack, env, reader } of expected) {
      const template = t(stack);
      const secrets = ofType(template, 'AWS::SecretsManager::Secret');
      expect(secrets, stack).toHaveLength(1);
      const [secretId] = secrets[0]!;
      const readers = new Set<string>();
      for (const [other, tmpl] of all()) {
        for (const { roles, statement } of policyStatements(tmpl)) {
          if (!asArray(statement.Action).some((a) => a.startsWith('secretsmanager:'))) continue;
          if (!walk(statement.Resource).refs.includes(secretId) || other !== stack) continue;
          expect(walk(statement.Resource).refs).toEqual([secretId]);
          roles.forEach((r) => readers.add(functionOfRole(template, r) ?? r));
        }
      }
      const given = ofType(template, 'AWS::Lambda::Function').filter(
        ([, f]) =>
          refOf((props(f).Environment as { Variables: Record<string, unknown> }).Variables[env]) ===
          secretId,
      );
      expect(given.map(([id]) => id)).toEqual([...readers]);
      expect([...readers], stack).toHaveLength(1);
      expect([...readers][0]).toMatch(reader);
    }
    // And no statement anywhere reads a secret by a wildcard or another stack's ARN.
    for (const [stack, template] of all()) {
      for (const { policyId, statement } of policyStatements(template)) {
        if (!asArray(statement.Action).some((a) => a.startsWith('secretsmanager:'))) continue;
        const { refs, imports } = walk(statement.Resource, template);
        expect(imports, `${stack}/${policyId}`).toEqual([]);
        expect(refs, `${stack}/${policyId}`).toHaveLength(1);
      }
    }
  });
});

describe('names', () => {
  it('no resource has a hand-written physical name', () => {
    const offenders: string[] = [];
    for (const [stack, template] of all()) {
      for (const [id, r] of Object.entries(resources(template)) as [string, CfnResource][]) {
        for (const [key, value] of Object.entries(props(r))) {
          if (!/Name$/.test(key) || typeof value !== 'string') continue;
          if (NAME_EXCEPTIONS[`${r.Type}.${key}`]) continue;
          offenders.push(`${stack}/${id} ${r.Type}.${key} = ${value}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('outputs', () => {
  it('name every queue, dead-letter queue and table for operators and the local runner', () => {
    for (const service of SERVICES) {
      const template = t(service.stack);
      template.hasOutput('TableName', {});
      template.hasOutput('SubscriptionQueueUrl', {});
      template.hasOutput('SubscriptionDeadLetterQueueUrl', {});
      if (service.publishes) template.hasOutput('PublisherDeadLetterQueueUrl', {});
    }
    t('Shop-Shipping').hasOutput('CarrierWebhookSecretArn', {});
  });
});

describe('configuration', () => {
  const config = (context: Record<string, unknown>) => readConfig(new App({ context }));
  const URL_OK = { paymentProviderUrl: 'https://provider.example' };

  it('refuses to synth without a payment provider URL, or with plain http:// to a remote host', () => {
    const build = (context: Record<string, unknown>) => () =>
      buildShop(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
    expect(build({})).toThrow(/paymentProviderUrl is required.*-c paymentProviderUrl=https:/);
    expect(build({ paymentProviderUrl: 'http://provider.example' })).toThrow(
      /must be https:\/\/.*"http:\/\/provider.example"/,
    );
    expect(() => config({ paymentProviderUrl: 'nope' })).toThrow(/paymentProviderUrl.*"nope"/);
    expect(() => config({ paymentProviderUrl: 'ftp://provider.example' })).toThrow(/https/);
  });

  it("accepts http:// to a loopback host (a local run's simulator) and passes the URL on", () => {
    for (const url of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(config({ paymentProviderUrl: url }).paymentProviderUrl).toBe(url);
    }
    const stacks = buildShop(
      new App({
        context: { 'aws:cdk:bundling-stacks': [], paymentProviderUrl: 'http://127.0.0.1:4010' },
      }),
    );
    const onEvent = stacks.payments.node.findChild('OnEvent') as ServiceFunction;
    expect(
      Stack.of(onEvent).resolve((onEvent.node.defaultChild as CfnFunction).environment),
    ).toMatchObject({ variables: { PAYMENT_PROVIDER_URL: 'http://127.0.0.1:4010' } });
  });

  it('synthesizes without warnings or errors when the URL is given', () => {
    for (const stack of Object.values(shop.stacks)) {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    }
  });

  it('reads and checks the context keys, naming the key on a bad value', () => {
    expect(config(URL_OK)).toMatchObject({
      paymentProviderUrl: 'https://provider.example',
      removalPolicy: RemovalPolicy.RETAIN,
      logLevel: 'INFO',
      parameterPrefix: '/shop',
      defaultThrottle: { rateLimit: 100, burstLimit: 200 },
      routeThrottles: {
        'POST /orders': { rateLimit: 20, burstLimit: 40 },
        'POST /exports': { rateLimit: 5, burstLimit: 10 },
        'POST /shipments/{shipmentId}/events': { rateLimit: 10, burstLimit: 20 },
      },
    });
    expect(config(URL_OK).archiveRetention.toDays()).toBe(30);
    expect(
      config({
        ...URL_OK,
        removalPolicy: 'destroy',
        logLevel: 'debug',
        archiveRetentionDays: '7',
        placeOrderRateLimit: '5',
        apiBurstLimit: '50',
        parameterPrefix: '/shop-dev',
      }),
    ).toMatchObject({
      removalPolicy: RemovalPolicy.DESTROY,
      logLevel: 'DEBUG',
      parameterPrefix: '/shop-dev',
      defaultThrottle: { rateLimit: 100, burstLimit: 50 },
      routeThrottles: {
        'POST /orders': { rateLimit: 5, burstLimit: 40 },
        'POST /exports': { rateLimit: 5, burstLimit: 10 },
      },
    });
    expect(() => config({ ...URL_OK, removalPolicy: 'keep' })).toThrow(/removalPolicy.*"keep"/);
    expect(() => config({ ...URL_OK, logLevel: 'LOUD' })).toThrow(/logLevel.*"LOUD"/);
    expect(() => config({ ...URL_OK, archiveRetentionDays: 'x' })).toThrow(
      /archiveRetentionDays.*"x"/,
    );
    expect(() => config({ ...URL_OK, placeOrderRateLimit: '0' })).toThrow(
      /placeOrderRateLimit.*"0"/,
    );
    expect(() => config({ ...URL_OK, parameterPrefix: 'shop' })).toThrow(/parameterPrefix.*"shop"/);
  });
});
