/**
 * The reusable constructs on their own, in a test stack with a tiny fixture
 * handler (bundling skipped: these tests read templates only).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  HttpMethod,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { OrderCancelled, OrderPlaced } from '../../../events/index.js';
import {
  ApiRoute,
  ESM_REQUIRE_SHIM,
  OutboxPublisher,
  ServiceFunction,
  ServiceTable,
  Subscription,
} from '../../../infra/constructs/index.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/handler.ts');

/** No bundling, no CloudFormation validation (the app test runs it): quick synths. */
const quick = () =>
  new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });

function stack(): Stack {
  const app = quick();
  return new Stack(app, 'Test');
}

describe('ServiceFunction', () => {
  it('has our defaults: Node 22 on ARM, tracing, source maps, Powertools env, own log group', () => {
    const s = stack();
    new ServiceFunction(s, 'Fn', { service: 'orders', entry, environment: { EXTRA: '1' } });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^FnLogs') } },
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'orders',
          POWERTOOLS_METRICS_NAMESPACE: 'Shop',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          EXTRA: '1',
        },
      },
    });
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    // No log-retention custom resource (the deprecated logRetention prop would add one).
    t.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('exposes its timeout for subscriptions to size visibility timeouts', () => {
    const fn = new ServiceFunction(stack(), 'Fn', { service: 'x', entry });
    expect(fn.timeout.toSeconds()).toBe(10);
  });

  it('fails naming the file when the entry does not exist', () => {
    expect(
      () => new ServiceFunction(stack(), 'Fn', { service: 'x', entry: '/nowhere/handler.ts' }),
    ).toThrow(/nowhere\/handler\.ts/);
  });

  it('shims require for CommonJS dependencies in ESM output', () => {
    expect(ESM_REQUIRE_SHIM).toContain('createRequire');
    expect(ESM_REQUIRE_SHIM).toContain('import.meta.url');
  });
});

describe('ServiceTable', () => {
  it('defaults: pk only, on demand, PITR, AWS-managed SSE, TTL on ttl, no stream, retained', () => {
    const s = stack();
    new ServiceTable(s, 'Table');
    const t = Template.fromStack(s);
    t.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        StreamSpecification: Match.absent(),
        GlobalSecondaryIndexes: Match.absent(),
        TableName: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('outbox: NEW_IMAGE stream; gsi1: the second index; DESTROY for dev', () => {
    const s = stack();
    new ServiceTable(s, 'Table', {
      outbox: true,
      gsi1: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Template.fromStack(s).hasResource('AWS::DynamoDB::Table', {
      Properties: {
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      DeletionPolicy: 'Delete',
    });
  });
});

describe('OutboxPublisher', () => {
  it('refuses a table without a stream, saying how to get one', () => {
    const s = stack();
    const table = new ServiceTable(s, 'Table');
    const bus = new EventBus(s, 'Bus');
    expect(() => new OutboxPublisher(s, 'Publisher', { service: 'x', entry, table, bus })).toThrow(
      /has no stream.*outbox: true/,
    );
  });

  it('feeds inserted outbox rows to the function, with bounded retries and a 14-day DLQ', () => {
    const s = stack();
    const table = new ServiceTable(s, 'Table', { outbox: true });
    const bus = new EventBus(s, 'Bus');
    new OutboxPublisher(s, 'Publisher', { service: 'x', entry, table, bus, retryAttempts: 3 });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { kind: { S: ['outbox'] } } },
            }),
          },
        ],
      },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
        },
      },
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      Environment: {
        Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('^Bus') } }),
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'events:PutEvents',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
          },
        ]),
      },
    });
  });
});

describe('Subscription', () => {
  function subscribe(props: {
    timeout?: Duration;
    maxBatchingWindow?: Duration;
    visibilityTimeout?: Duration;
    maxReceiveCount?: number;
  }) {
    const s = stack();
    const bus = new EventBus(s, 'Bus');
    const consumer = new ServiceFunction(s, 'Consumer', {
      service: 'x',
      entry,
      timeout: props.timeout,
    });
    const subscription = new Subscription(s, 'Sub', {
      bus,
      consumer,
      consumes: [OrderPlaced, OrderCancelled],
      maxBatchingWindow: props.maxBatchingWindow,
      visibilityTimeout: props.visibilityTimeout,
      maxReceiveCount: props.maxReceiveCount,
    });
    return { t: Template.fromStack(s), subscription };
  }

  it('routes the contracts to an encrypted queue with a DLQ, drained with partial batch responses', () => {
    const { t } = subscribe({});
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: { source: ['shop.orders'], 'detail-type': ['OrderCancelled', 'OrderPlaced'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubQueue'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubDeadLetterQueue'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 60,
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^SubDeadLetterQueue'), 'Arn'],
        },
        maxReceiveCount: 5,
      },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('lets only its rule send to the queue', () => {
    const { t } = subscribe({});
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^SubRule'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('sizes the visibility timeout to 6x the consumer timeout plus the batching window', () => {
    const { t, subscription } = subscribe({
      timeout: Duration.seconds(30),
      maxBatchingWindow: Duration.seconds(5),
    });
    t.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 185 });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumBatchingWindowInSeconds: 5,
    });
    expect(subscription.deadLetterQueue).not.toBe(subscription.queue);
  });

  it('keeps a longer visibility timeout when one is asked for', () => {
    const { t } = subscribe({ visibilityTimeout: Duration.minutes(5) });
    t.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 300 });
  });

  it('rejects a maxReceiveCount SQS would not take, naming the value', () => {
    expect(() => subscribe({ maxReceiveCount: 0 })).toThrow(/maxReceiveCount .* got 0/);
  });
});

describe('ApiRoute', () => {
  it('adds the route to an API of another stack, invoke permission scoped to its path', () => {
    const app = quick();
    const platform = new Stack(app, 'Platform');
    const httpApi = new HttpApi(platform, 'Api');
    const service = new Stack(app, 'Service');
    const handler = new ServiceFunction(service, 'Fn', { service: 'x', entry });
    new ApiRoute(service, 'Route', {
      httpApi,
      method: HttpMethod.POST,
      path: '/things/{id}/poke',
      handler,
      authorization: 'public',
      publicReason: 'Pokes are anonymous in this test, and the handler checks its own signature.',
    });
    const t = Template.fromStack(service);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /things/{id}/poke',
      ApiId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Platform:') },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([Match.stringLikeRegexp('/\\*/\\*/things/\\{id\\}/poke$')]),
        ],
      },
    });
  });

  it('puts the JWT authorizer on customer and operator routes, and refuses them without one', () => {
    const app = quick();
    const stack = new Stack(app, 'Service');
    const httpApi = new HttpApi(stack, 'Api');
    const handler = new ServiceFunction(stack, 'Fn', { service: 'x', entry });
    const jwtAuthorizer = new HttpAuthorizer(stack, 'Jwt', {
      httpApi,
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      jwtAudience: ['client'],
    });
    const authorizer = HttpAuthorizer.fromHttpAuthorizerAttributes(stack, 'JwtRef', {
      authorizerId: jwtAuthorizer.authorizerId,
      authorizerType: HttpAuthorizerType.JWT,
    });
    const common = { httpApi, handler, authorizer, method: HttpMethod.GET } as const;
    new ApiRoute(stack, 'Mine', { ...common, path: '/mine', authorization: 'customer' });
    new ApiRoute(stack, 'Ops', { ...common, path: '/ops', authorization: 'operator' });
    new ApiRoute(stack, 'Open', {
      ...common,
      path: '/open',
      authorization: 'public',
      publicReason: 'Anyone may read /open in this test.',
    });
    const t = Template.fromStack(stack);
    const [jwt] = Object.keys(t.findResources('AWS::ApiGatewayV2::Authorizer'));
    for (const key of ['GET /mine', 'GET /ops']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: jwt },
      });
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /open',
      AuthorizationType: 'NONE',
    });
    expect(
      () =>
        new ApiRoute(stack, 'NoAuthorizer', {
          httpApi,
          handler,
          method: HttpMethod.GET,
          path: '/x',
          authorization: 'customer',
        }),
    ).toThrow(/authorization "customer" needs the API's JWT authorizer/);
    expect(
      () =>
        new ApiRoute(stack, 'NoReason', {
          httpApi,
          handler,
          method: HttpMethod.GET,
          path: '/y',
          authorization: 'public',
        }),
    ).toThrow(/GET \/y\): a public route needs publicReason/);
  });
});
