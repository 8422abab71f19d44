/**
 * The fixture CDK app (test/fixtures/app), synthesized and run on the local
 * cloud, driven only through the wire: HTTP, and the AWS SDK v3 at the edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeArchiveCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LocalCloud } from '../../src/cloud.js';
import { loadApp, type RunningApp } from '../../src/app/index.js';
import { clientConfig, eventually, startCloud, synthFixture } from './support.js';

let cloud: LocalCloud;
let app: RunningApp;
const logs: string[] = [];
let ddb: DynamoDBClient;
let sqs: SQSClient;
let events: EventBridgeClient;
let lambda: LambdaClient;

const resource = (stack: string, type: string) => {
  const found = Object.values(app.stacks[stack]!.resources).filter((r) => r.type === type);
  if (found.length === 0) throw new Error(`no ${type} in ${stack}`);
  return found;
};
const tableName = () => resource('FixtureData', 'AWS::DynamoDB::Table')[0]!.physicalId;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

beforeAll(async () => {
  cloud = await startCloud();
  app = await loadApp({
    cdkOut: synthFixture(),
    cloud,
    apiPort: 0,
    log: (l) => logs.push(l),
    functionLog: (label, l) => logs.push(`[${label}] ${l}`),
  });
  ddb = new DynamoDBClient(clientConfig(cloud));
  sqs = new SQSClient(clientConfig(cloud));
  events = new EventBridgeClient(clientConfig(cloud));
  lambda = new LambdaClient({ ...clientConfig(cloud), maxAttempts: 1 });
});

afterAll(async () => {
  for (const c of [ddb, sqs, events, lambda]) c?.destroy();
  await app?.stop();
  await cloud?.stop();
});

describe('template loading through the edge', () => {
  it('creates the table with its keys, index, stream and TTL', async () => {
    const name = tableName();
    expect(name).toMatch(/^FixtureData-Items5C12978B-[A-Z0-9]{13}$/);
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byKind']);
    expect(Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('creates the queue with its dead-letter queue and visibility timeout', async () => {
    const [dlq, queue] = ['ConsumerDlq764F6C13', 'ConsumerQueue8831D5EC'].map(
      (id) => app.stacks['FixtureService']!.resources[id]!,
    );
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue!.physicalId, AttributeNames: ['All'] }),
    );
    expect(attrs.Attributes?.['VisibilityTimeout']).toBe('2');
    expect(JSON.parse(attrs.Attributes?.['RedrivePolicy'] ?? '{}')).toMatchObject({
      deadLetterTargetArn: dlq!.attributes['Arn'],
      maxReceiveCount: 3,
    });
  });

  it('creates the bus, the rule with its queue target, and the archive', async () => {
    const bus = resource('FixtureData', 'AWS::Events::EventBus')[0]!.physicalId;
    const rule = app.stacks['FixtureService']!.resources['ItemRequestedE939AAB8']!;
    expect(rule.physicalId).toMatch(new RegExp(`^${bus}\\|FixtureService-ItemRequested`));
    const ruleName = rule.physicalId.split('|')[1]!;
    const described = await events.send(
      new DescribeRuleCommand({ Name: ruleName, EventBusName: bus }),
    );
    expect(JSON.parse(described.EventPattern!)).toEqual({
      source: ['fixture.test'],
      'detail-type': ['ItemRequested'],
    });
    const targets = await events.send(
      new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: bus }),
    );
    expect(targets.Targets?.[0]?.Arn).toBe(
      app.stacks['FixtureService']!.resources['ConsumerQueue8831D5EC']!.attributes['Arn'],
    );
    const archive = resource('FixtureData', 'AWS::Events::Archive')[0]!;
    const a = await events.send(new DescribeArchiveCommand({ ArchiveName: archive.physicalId }));
    expect(a.RetentionDays).toBe(1);
  });

  it('resolves cross-stack imports into the functions environment', async () => {
    const fn = app.findFunction('FixtureService/Api')!;
    expect(fn.config.environment['TABLE_NAME']).toBe(tableName());
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: fn.config.functionName }));
    expect(got.Configuration).toMatchObject({
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 5,
    });
    const list = await lambda.send(new ListFunctionsCommand({}));
    expect(list.Functions?.length).toBe(app.functions.length);
  });
});

describe('HTTP API', () => {
  it('runs a request through Lambda into DynamoDB and back', async () => {
    const created = await fetch(`${app.apiUrl}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'h1', name: 'Hammer' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/items/h1');
    const item = await ddb.send(
      new GetItemCommand({
        TableName: tableName(),
        Key: { pk: { S: 'item#h1' }, sk: { S: 'item' } },
      }),
    );
    expect(item.Item?.['name']).toEqual({ S: 'Hammer' });

    const got = await fetch(`${app.apiUrl}/items/h1`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json'); // the simple response form
    expect(await got.json()).toEqual({ id: 'h1', name: 'Hammer' });
    expect(got.headers.get('apigw-requestid')).toBeTruthy();

    const missing = await fetch(`${app.apiUrl}/items/none`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('builds payload format 2.0 events as API Gateway does', async () => {
    const res = await fetch(`${app.apiUrl}/echo/a%20b/c?x=1&x=2&y=`, {
      method: 'PUT',
      headers: {
        cookie: 'session=abc; theme=dark',
        'X-Custom': 'One',
        'content-type': 'application/octet-stream',
      },
      body: Buffer.from([1, 2, 3]),
    });
    const event = (await res.json()) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /echo/{proxy+}',
      rawPath: '/echo/a%20b/c',
      rawQueryString: 'x=1&x=2&y=',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { x: '1,2', y: '' },
      pathParameters: { proxy: 'a b/c' },
      isBase64Encoded: true,
      body: Buffer.from([1, 2, 3]).toString('base64'),
    });
    expect(event.headers['x-custom']).toBe('One');
    expect(event.headers['cookie']).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      routeKey: 'ANY /echo/{proxy+}',
      stage: '$default',
      http: { method: 'PUT', path: '/echo/a%20b/c', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    });
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);

    const json = await fetch(`${app.apiUrl}/echo/j`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await json.json()).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });

  it('routes what matches no route to $default', async () => {
    const res = await fetch(`${app.apiUrl}/no/such/route`);
    expect(((await res.json()) as { routeKey: string }).routeKey).toBe('$default');
  });

  it('maps cookies and base64 bodies of the full response form', async () => {
    const res = await fetch(`${app.apiUrl}/echo/binary`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('answers 500 when the function throws or times out', async () => {
    const thrown = await fetch(`${app.apiUrl}/echo/throw`);
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ message: 'Internal Server Error' });
    const slow = await fetch(`${app.apiUrl}/slow?ms=1500`); // Slow's timeout is 1 s
    expect(slow.status).toBe(500);
    expect(
      logs.some((l) => /\[FixtureService\/Slow\] .* Task timed out after 1\.\d\d seconds/.test(l)),
    ).toBe(true);
  });
});

describe('event sources', () => {
  it('feeds table inserts that match the filter to the stream function', async () => {
    await fetch(`${app.apiUrl}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 's1', name: 'Saw' }),
    });
    const audit = await eventually(
      async () => {
        const out = await ddb.send(
          new QueryCommand({
            TableName: tableName(),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'audit#item#s1' } },
          }),
        );
        return out.Items?.[0];
      },
      15_000,
      'the audit row of item s1',
    );
    expect(audit['eventName']).toEqual({ S: 'INSERT' });
    expect(audit['name']).toEqual({ S: 'Saw' });
    // The filter lets only item# inserts through: no audit of audit rows, nor of the consumer's rows.
    const all = await ddb.send(new ScanCommand({ TableName: tableName() }));
    const audited = (all.Items ?? []).filter((i) => i['pk']?.S?.startsWith('audit#'));
    expect(audited.every((i) => i['pk']!.S!.startsWith('audit#item#'))).toBe(true);
  });

  it('delivers bus events through the rule and queue, retrying a reported failure after its visibility timeout', async () => {
    const bus = resource('FixtureData', 'AWS::Events::EventBus')[0]!.physicalId;
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: 'fixture.test',
            DetailType: 'ItemRequested',
            Detail: JSON.stringify({ id: 'ok1' }),
          },
          {
            EventBusName: bus,
            Source: 'fixture.test',
            DetailType: 'ItemRequested',
            Detail: JSON.stringify({ id: 'fail1', failFirst: true }),
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const consumed = async (id: string) => {
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `consumed#${id}` } },
        }),
      );
      return out.Items?.length ? out.Items : undefined;
    };
    const ok = await eventually(() => consumed('ok1'), 15_000, 'ok1 consumed');
    expect(ok.map((i) => i['sk']?.S)).toEqual(['1']);
    expect(ok[0]!['eventSource']).toEqual({ S: 'aws:sqs' });
    const retried = await eventually(
      () => consumed('fail1'),
      15_000,
      'fail1 consumed on its second receive',
    );
    expect(retried.map((i) => i['sk']?.S)).toEqual(['2']);
    expect(logs.some((l) => l.includes('message fail1 receive 1'))).toBe(true);
  });
});

describe('EventBridge targets', () => {
  it('invokes a function target with its transformed input', async () => {
    const bus = resource('FixtureData', 'AWS::Events::EventBus')[0]!.physicalId;
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: 'fixture.test',
            DetailType: 'ItemAudited',
            Detail: JSON.stringify({ id: 't1' }),
          },
        ],
      }),
    );
    const item = await eventually(
      async () =>
        (
          await ddb.send(
            new GetItemCommand({
              TableName: tableName(),
              Key: { pk: { S: 'event#t1' }, sk: { S: 'transformed' } },
            }),
          )
        ).Item,
      15_000,
      'the function target to run',
    );
    expect(item['pk']).toEqual({ S: 'event#t1' });
  });
});

describe('Lambda Invoke on the edge', () => {
  const slowName = () => app.findFunction('FixtureService/Slow')!.config.functionName;

  it('invokes a function and returns its result', async () => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: slowName(),
        Payload: Buffer.from(JSON.stringify({ ms: 5 })),
      }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(text(out.Payload))).toEqual({
      slept: 5,
      functionName: slowName(),
      memory: '256',
      region: 'us-east-1',
    });
  });

  it('fails a timed-out invocation like AWS and replaces the worker', async () => {
    const fn = app.findFunction('FixtureService/Slow')!;
    const coldBefore = fn.stats.coldStarts;
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: fn.config.functionArn,
        Payload: Buffer.from('{"ms":3000}'),
      }),
    );
    expect(out.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(out.Payload));
    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.\d\d seconds$/,
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: fn.config.functionName, Payload: Buffer.from('{}') }),
    );
    expect(fn.stats.coldStarts).toBe(coldBefore + 1);
    // Warm now: one more call reuses the worker.
    await lambda.send(
      new InvokeCommand({ FunctionName: fn.config.functionName, Payload: Buffer.from('{}') }),
    );
    expect(fn.stats.coldStarts).toBe(coldBefore + 1);
  });

  it('throttles beyond reserved concurrency with TooManyRequestsException', async () => {
    const call = () =>
      lambda.send(
        new InvokeCommand({ FunctionName: slowName(), Payload: Buffer.from('{"ms":800}') }),
      );
    const results = await Promise.allSettled([call(), call()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(rejected.reason).toBeInstanceOf(TooManyRequestsException);
  });

  it('returns the error shape of a thrown error, accepts Event invocations, and names a missing function', async () => {
    const apiName = app.findFunction('FixtureService/Api')!.config.functionName;
    const thrown = await lambda.send(
      new InvokeCommand({
        FunctionName: apiName,
        Payload: Buffer.from(JSON.stringify({ rawPath: '/echo/throw', routeKey: 'x' })),
      }),
    );
    expect(thrown.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(thrown.Payload));
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'asked to throw' });
    expect(Array.isArray(error.trace)).toBe(true);

    const queued = await lambda.send(
      new InvokeCommand({
        FunctionName: slowName(),
        InvocationType: 'Event',
        Payload: Buffer.from('{}'),
      }),
    );
    expect(queued.StatusCode).toBe(202);

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
