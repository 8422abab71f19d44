/**
 * The AWS CLI's read APIs on the edge, for what the fixture app deployed,
 * through the real SDK v3 clients: CloudFormation (query protocol), CloudWatch
 * Logs, Lambda's event-source mappings, API Gateway v2 and Schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  CloudFormationServiceException,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException as LogsNotFound,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ApiGatewayV2Client,
  GetApisCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
} from '@aws-sdk/client-apigatewayv2';
import {
  DescribeSchemaCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
  SchemasClient,
} from '@aws-sdk/client-schemas';
import {
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceNotFoundException as LambdaNotFound,
} from '@aws-sdk/client-lambda';
import type { LocalCloud } from '../../src/cloud.js';
import type { InvocationSummary, RunningApp } from '../../src/app/index.js';
import { clientConfig, eventually, startFixtureApp } from '../app/support.js';

let cloud: LocalCloud;
let app: RunningApp;
const summaries: InvocationSummary[] = [];
let cfn: CloudFormationClient;
let logs: CloudWatchLogsClient;
let apigw: ApiGatewayV2Client;
let schemas: SchemasClient;
let lambda: LambdaClient;

const apiFunction = () => app.functions.find((f) => f.config.label === 'FixtureService/Api')!;

beforeAll(async () => {
  ({ cloud, app } = await startFixtureApp({ onInvocation: (s) => summaries.push(s) }));
  cfn = new CloudFormationClient(clientConfig(cloud));
  logs = new CloudWatchLogsClient(clientConfig(cloud));
  apigw = new ApiGatewayV2Client(clientConfig(cloud));
  schemas = new SchemasClient(clientConfig(cloud));
  lambda = new LambdaClient(clientConfig(cloud));
}, 120_000);

afterAll(async () => {
  for (const c of [cfn, logs, apigw, schemas, lambda]) c?.destroy();
  await app?.stop();
  await cloud?.stop();
});

describe('CloudFormation', () => {
  it('describes every stack, with the API URL output pointing at the local HTTP API', async () => {
    const out = await cfn.send(new DescribeStacksCommand({}));
    expect(out.Stacks?.map((s) => s.StackName).sort()).toEqual(['FixtureData', 'FixtureService']);
    const service = out.Stacks!.find((s) => s.StackName === 'FixtureService')!;
    expect(service.StackStatus).toBe('CREATE_COMPLETE');
    expect(service.StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:\d{12}:stack\/FixtureService\//,
    );
    const url = service.Outputs?.find((o) => o.OutputKey === 'ApiUrl');
    expect(url).toMatchObject({ OutputValue: `${app.apiUrl}/`, ExportName: 'FixtureApiUrl' });
    const res = await fetch(`${url!.OutputValue}items/nothing-here`);
    expect(res.status).toBe(404);
  });

  it('describes one stack by name and says which exist when it is unknown', async () => {
    const one = await cfn.send(new DescribeStacksCommand({ StackName: 'FixtureData' }));
    expect(one.Stacks).toHaveLength(1);
    const err = await cfn.send(new DescribeStacksCommand({ StackName: 'Nope' })).catch((e) => e);
    expect(err).toBeInstanceOf(CloudFormationServiceException);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toMatch(/Nope does not exist.*FixtureData, FixtureService/);
  });

  it('lists stacks and their resources with physical ids', async () => {
    const listed = await cfn.send(
      new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] }),
    );
    expect(listed.StackSummaries).toHaveLength(2);
    const res = await cfn.send(new ListStackResourcesCommand({ StackName: 'FixtureService' }));
    const fn = res.StackResourceSummaries!.find(
      (r) =>
        r.ResourceType === 'AWS::Lambda::Function' &&
        r.PhysicalResourceId === apiFunction().config.functionName,
    );
    expect(fn?.ResourceStatus).toBe('CREATE_COMPLETE');
    const described = await cfn.send(
      new DescribeStackResourcesCommand({ PhysicalResourceId: apiFunction().config.functionName }),
    );
    expect(described.StackResources).toMatchObject([
      { StackName: 'FixtureService', LogicalResourceId: fn!.LogicalResourceId },
    ]);
  });
});

describe('CloudWatch Logs', () => {
  it("keeps a function's lines, with START/END/REPORT, in its group; filters by term and JSON", async () => {
    const post = await fetch(`${app.apiUrl}/items`, {
      method: 'POST',
      body: JSON.stringify({ id: 'logged-1', name: 'lamp' }),
    });
    expect(post.status).toBe(201);
    const group = `/aws/lambda/${apiFunction().config.functionName}`;
    const groups = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }),
    );
    expect(groups.logGroups?.map((g) => g.logGroupName)).toContain(group);
    expect(groups.logGroups).toHaveLength(app.functions.length);

    const byJson = await eventually(async () => {
      const r = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          filterPattern: '{ $.correlationId = "logged-1" }',
        }),
      );
      return r.events?.length ? r : undefined;
    });
    expect(byJson.events).toHaveLength(1);
    expect(JSON.parse(byJson.events![0]!.message!)).toMatchObject({ name: 'lamp' });

    const report = await eventually(async () => {
      const r = await logs.send(
        new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'REPORT' }),
      );
      return r.events?.length ? r : undefined;
    });
    expect(report.events![0]!.message).toMatch(
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration/,
    );
    const none = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        filterPattern: '{ $.correlationId = "other" }',
      }),
    );
    expect(none.events).toEqual([]);
    const later = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, startTime: Date.now() + 60_000 }),
    );
    expect(later.events).toEqual([]);

    const summary = summaries.find((s) => s.correlationId === 'logged-1');
    expect(summary).toMatchObject({ label: 'FixtureService/Api', outcome: 'ok' });
  });

  it('pages FilterLogEvents with nextToken and reads one stream with GetLogEvents', async () => {
    const group = `/aws/lambda/${apiFunction().config.functionName}`;
    for (let i = 0; i < 3; i++) await fetch(`${app.apiUrl}/items/page-${i}`);
    const all = await eventually(async () => {
      const r = await logs.send(
        new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'START' }),
      );
      return (r.events?.length ?? 0) >= 4 ? r.events! : undefined;
    });
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          filterPattern: 'START',
          limit: 1,
          nextToken,
        }),
      );
      expect(page.events!.length).toBeLessThanOrEqual(1);
      paged.push(...page.events!.map((e) => e.eventId!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toEqual(all.map((e) => e.eventId));

    const streams = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
      }),
    );
    const stream = streams.logStreams![0]!.logStreamName!;
    expect(stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const got = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }),
    );
    expect(got.events![0]!.message).toMatch(/^START RequestId: /);
    const again = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        nextToken: got.nextForwardToken,
      }),
    );
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(got.nextForwardToken);
  });

  it('names the groups it has when one is unknown', async () => {
    const err = await logs
      .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(LogsNotFound);
    expect(err.message).toContain(`/aws/lambda/${apiFunction().config.functionName}`);
  });
});

describe('Lambda', () => {
  it('lists every event-source mapping and gets one', async () => {
    const out = await lambda.send(new ListEventSourceMappingsCommand({}));
    expect(out.EventSourceMappings).toHaveLength(app.mappings.length);
    expect(out.EventSourceMappings!.length).toBeGreaterThanOrEqual(2);
    const consumer = app.functions.find((f) => f.config.label === 'FixtureService/Consumer')!;
    const byFn = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: consumer.config.functionName }),
    );
    expect(byFn.EventSourceMappings).toMatchObject([
      {
        FunctionArn: consumer.config.functionArn,
        BatchSize: 5,
        State: 'Enabled',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      },
    ]);
    const one = await lambda.send(
      new GetEventSourceMappingCommand({ UUID: byFn.EventSourceMappings![0]!.UUID }),
    );
    expect(one.EventSourceArn).toMatch(/^arn:aws:sqs:/);
    const err = await lambda
      .send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(LambdaNotFound);
  });

  it("get-function names the function's log group", async () => {
    const out = await lambda.send(
      new GetFunctionCommand({ FunctionName: apiFunction().config.functionName }),
    );
    expect(out.Configuration?.LoggingConfig?.LogGroup).toBe(
      `/aws/lambda/${apiFunction().config.functionName}`,
    );
  });
});

describe('API Gateway v2', () => {
  it('lists the HTTP API, every route and the default stage', async () => {
    const apis = await apigw.send(new GetApisCommand({}));
    expect(apis.Items).toHaveLength(1);
    const api = apis.Items![0]!;
    expect(api).toMatchObject({ ProtocolType: 'HTTP', ApiEndpoint: app.apiUrl });
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    const keys = routes.Items!.map((r) => r.RouteKey).sort();
    expect(keys).toEqual(app.routes.map((r) => r.routeKey).sort());
    expect(keys).toContain('GET /items/{id}');
    expect(routes.Items![0]!.Target).toMatch(/^integrations\//);
    const stages = await apigw.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items).toMatchObject([{ StageName: '$default', AutoDeploy: true }]);
    const err = await apigw.send(new GetRoutesCommand({ ApiId: 'nope' })).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundException);
  });
});

describe('Schemas', () => {
  it('lists the registry and its schema, and describes it', async () => {
    const regs = await schemas.send(new ListRegistriesCommand({}));
    expect(regs.Registries).toHaveLength(1);
    const registryName = regs.Registries![0]!.RegistryName!;
    const listed = await schemas.send(new ListSchemasCommand({ RegistryName: registryName }));
    expect(listed.Schemas?.map((s) => s.SchemaName)).toEqual(['fixture.test@ItemRequested']);
    const schema = await schemas.send(
      new DescribeSchemaCommand({
        RegistryName: registryName,
        SchemaName: 'fixture.test@ItemRequested',
      }),
    );
    expect(schema.Type).toBe('JSONSchemaDraft4');
    expect(JSON.parse(schema.Content!)).toMatchObject({ required: ['id'] });
  });
});
