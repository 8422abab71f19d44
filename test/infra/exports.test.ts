/**
 * Template assertions for order exports (infra/constructs/order-exports*.ts) on
 * the orders stack, synthesized alone (bundling skipped): the bucket's
 * protections, who may read and write it, the queues and their rules, the
 * indexes, the routes.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCallbackConsumes, exportJobConsumes } from '../../functions/orders/consumes.js';
import {
  CALLBACK_MAX_RECEIVES as DOMAIN_MAX_RECEIVES,
  callbackRetrySpanSeconds,
} from '../../functions/orders/domain/exports/callback-backoff.js';
import { patternFor } from '../../events/contract.js';
import {
  CALLBACK_MAX_RECEIVES,
  ORDER_EXPORT_INDEXES,
} from '../../infra/constructs/order-exports.js';
import { OrdersStack } from '../../infra/stacks/orders-stack.js';
import {
  asArray,
  functionOfRole,
  ofType,
  policyStatements,
  props,
  refOf,
  walk,
  type IamStatement,
} from './support/template.js';

function synth(allowLoopbackCallbacks?: boolean): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new OrdersStack(app, 'Shop-Orders', { allowLoopbackCallbacks }));
}

let template: Template;
beforeAll(() => {
  template = synth();
});

/** Logical id of the function whose handler entry is `handler` (from its role's name). */
function functionId(prefix: string): string {
  const fns = ofType(template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix));
  expect(fns, prefix).toHaveLength(1);
  return fns[0]![0];
}

/** Every policy statement, with the function whose role it is attached to. */
function statements(): { roleFunction: string | undefined; statement: IamStatement }[] {
  return policyStatements(template).map(({ roles, statement }) => ({
    roleFunction: roles.map((r) => functionOfRole(template, r)).find(Boolean),
    statement,
  }));
}

function statementsOf(fnId: string): IamStatement[] {
  return statements()
    .filter(({ roleFunction }) => roleFunction === fnId)
    .map((s) => s.statement);
}

const bucketId = () => ofType(template, 'AWS::S3::Bucket')[0]![0];

describe('exports bucket', () => {
  it('is encrypted, private, unversioned, retained, and expires exports after 7 days', () => {
    const buckets = ofType(template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    const [id, bucket] = buckets[0]!;
    expect(id.startsWith('State'), 'under State/').toBe(true);
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(props(bucket)).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Status: 'Enabled',
            Prefix: 'exports/',
            ExpirationInDays: 7,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
    expect(props(bucket).VersioningConfiguration).toBeUndefined();
  });

  it('refuses any request without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is written by the worker only and read by the status route only, under exports/', () => {
    const s3 = statements().filter(({ statement }) =>
      asArray(statement.Action).some((a) => a.startsWith('s3:')),
    );
    const byFunction = new Map<string, string[]>();
    for (const { roleFunction, statement } of s3) {
      const actions = asArray(statement.Action);
      byFunction.set(roleFunction ?? '(none)', [
        ...(byFunction.get(roleFunction ?? '(none)') ?? []),
        ...actions,
      ]);
      for (const resource of asArray(statement.Resource)) {
        const { refs, literals } = walk(resource);
        expect(refs).toContain(bucketId());
        // An object ARN is under exports/; the bucket ARN itself only carries List*/GetBucket*.
        if (literals.join('').includes('/')) expect(literals.join('')).toContain('/exports/*');
      }
    }
    const worker = functionId('ExportsExportWorker');
    const status = functionId('ExportsGetExport');
    expect([...byFunction.keys()].sort()).toEqual([worker, status].sort());
    expect(byFunction.get(worker)).toContain('s3:PutObject');
    expect(byFunction.get(worker)!.some((a) => a.startsWith('s3:GetObject'))).toBe(false);
    expect(byFunction.get(status)!.some((a) => a.startsWith('s3:GetObject'))).toBe(true);
    expect(byFunction.get(status)!.some((a) => a.startsWith('s3:Put'))).toBe(false);
  });
});

describe('export queues', () => {
  const rules = () => ofType(template, 'AWS::Events::Rule');

  it('routes ExportRequested to the jobs queue, one job per invocation, at most 2 at once', () => {
    const jobs = rules().filter(([id]) => id.startsWith('ExportsJobs'));
    expect(jobs).toHaveLength(1);
    expect(props(jobs[0]![1]).EventPattern).toEqual(patternFor(exportJobConsumes));
    const worker = functionId('ExportsExportWorker');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('routes only completions with a callback to the callbacks queue, dead-lettered after about a day', () => {
    const callbacks = rules().filter(([id]) => id.startsWith('ExportsCallbacks'));
    expect(callbacks).toHaveLength(1);
    expect(props(callbacks[0]![1]).EventPattern).toEqual({
      ...patternFor(exportCallbackConsumes),
      detail: { data: { hasCallback: [true] } },
    });
    expect(CALLBACK_MAX_RECEIVES).toBe(DOMAIN_MAX_RECEIVES);
    const queues = ofType(template, 'AWS::SQS::Queue').filter(([id]) =>
      id.startsWith('ExportsCallbacksQueue'),
    );
    expect(queues).toHaveLength(1);
    const queue = props(queues[0]![1]);
    expect(queue.RedrivePolicy).toMatchObject({ maxReceiveCount: CALLBACK_MAX_RECEIVES });
    // SQS keeps a message 4 days unless told otherwise: longer than the retries span.
    const retention = (queue.MessageRetentionPeriod as number | undefined) ?? 4 * 24 * 3600;
    const span = callbackRetrySpanSeconds();
    expect(span.shortest).toBeGreaterThan(20 * 3600);
    expect(span.longest).toBeLessThan(28 * 3600);
    expect(retention).toBeGreaterThan(span.longest);
    const callback = functionId('ExportsExportCallback');
    const env = props(ofType(template, 'AWS::Lambda::Function').find(([id]) => id === callback)![1])
      .Environment as { Variables: Record<string, unknown> };
    expect(refOf(env.Variables['CALLBACK_QUEUE_URL'])).toBe(queues[0]![0]);
  });
});

describe('export indexes and grants', () => {
  it('adds the by-customer and by-day indexes, never projecting the sealed address', () => {
    const [, table] = ofType(template, 'AWS::DynamoDB::Table')[0]!;
    const indexes = props(table).GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: { AttributeName: string }[];
      Projection: { ProjectionType: string; NonKeyAttributes: string[] };
    }[];
    for (const index of Object.values(ORDER_EXPORT_INDEXES)) {
      const found = indexes.find((i) => i.IndexName === index.indexName);
      expect(found?.KeySchema.map((k) => k.AttributeName)).toEqual([
        index.partitionKey,
        index.sortKey,
      ]);
      expect(found?.Projection.ProjectionType).toBe('INCLUDE');
      expect(found?.Projection.NonKeyAttributes).not.toContain('shippingAddressCiphertext');
    }
  });

  it('lets only the worker query the indexes, and seals the callback secret under its own context', () => {
    const worker = functionId('ExportsExportWorker');
    const queries = statements().filter(({ statement }) =>
      walk(statement.Resource).literals.some((l) => /\/index\/ordersBy/.test(l)),
    );
    expect(new Set(queries.map((q) => q.roleFunction))).toEqual(new Set([worker]));

    const kms = statements().filter(({ statement }) =>
      asArray(statement.Action).some((a) => a.startsWith('kms:')),
    );
    const place = functionId('ExportsPlaceExport');
    const callback = functionId('ExportsExportCallback');
    for (const fn of [place, callback]) {
      const mine = kms.filter((k) => k.roleFunction === fn);
      expect(mine.length, fn).toBeGreaterThan(0);
      for (const { statement } of mine) {
        expect(statement.Condition).toEqual({
          StringEquals: { 'kms:EncryptionContext:field': 'exportCallbackSecret' },
        });
      }
    }
    expect(
      kms.filter((k) => k.roleFunction === callback).flatMap((k) => asArray(k.statement.Action)),
    ).toEqual(['kms:Decrypt']);
    expect(
      statementsOf(worker).some((s) => asArray(s.Action).some((a) => a.startsWith('kms:'))),
    ).toBe(false);
  });
});

describe('export routes', () => {
  it('adds POST /exports and GET /exports/{exportId} behind the JWT authorizer', () => {
    const routes = ofType(template, 'AWS::ApiGatewayV2::Route').filter(([, r]) =>
      String(props(r).RouteKey).includes('/exports'),
    );
    expect(routes.map(([, r]) => props(r).RouteKey).sort()).toEqual([
      'GET /exports/{exportId}',
      'POST /exports',
    ]);
    for (const [, route] of routes) expect(props(route).AuthorizationType).toBe('JWT');
  });

  it('accepts loopback http callbacks only when the stack is told it is a local run', () => {
    const loopback = (t: Template) => {
      const [, fn] = ofType(t, 'AWS::Lambda::Function').find(([id]) =>
        id.startsWith('ExportsPlaceExport'),
      )!;
      return (props(fn).Environment as { Variables: Record<string, string> }).Variables[
        'ALLOW_LOOPBACK_CALLBACKS'
      ];
    };
    expect(loopback(template)).toBe('false');
    expect(loopback(synth(true))).toBe('true');
  });
});
