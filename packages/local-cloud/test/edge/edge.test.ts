import { createServer, type Server } from 'node:net';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { AwsError } from '../../src/core/errors.js';
import { MemoryRecorder } from '../../src/core/recorder.js';

let cloud: LocalCloud;
const recorder = new MemoryRecorder();

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false, recorder });
  cloud.registerJsonService(
    {
      targetPrefix: 'FakeService_20250101',
      async handle(action, input) {
        if (action === 'Fail')
          throw new AwsError('ThingNotFoundException', 'No thing named x.', 404);
        if (action === 'Crash') throw new Error('boom');
        return { action, input };
      },
    },
    'fake',
  );
  cloud.addRoute({
    method: 'POST',
    path: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/,
    service: 'Lambda',
    action: 'Invoke',
    handle: async (_req, body, match) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fn: match[1], got: body.toString() }),
    }),
  });
});

afterAll(async () => {
  await cloud?.stop();
});

function post(headers: Record<string, string>, body: string, path = '/') {
  return fetch(`${cloud.endpoint}${path}`, { method: 'POST', headers, body });
}

describe('routing', () => {
  it('routes JSON protocols by X-Amz-Target and answers in the caller’s JSON version', async () => {
    const res = await post(
      {
        'x-amz-target': 'FakeService_20250101.DoThing',
        'content-type': 'application/x-amz-json-1.0',
      },
      '{"a":1}',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ action: 'DoThing', input: { a: 1 } });
  });

  it('serialises service errors as JSON __type + message with the service’s status', async () => {
    const res = await post(
      { 'x-amz-target': 'FakeService_20250101.Fail', 'content-type': 'application/x-amz-json-1.1' },
      '{}',
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ThingNotFoundException');
    expect(await res.json()).toEqual({
      __type: 'ThingNotFoundException',
      message: 'No thing named x.',
    });
  });

  it('turns an unexpected exception into a 500 InternalFailure, not a hang', async () => {
    const res = await post({ 'x-amz-target': 'FakeService_20250101.Crash' }, '{}');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ __type: 'InternalFailure' });
  });

  it('names an unknown X-Amz-Target and lists what is emulated', async () => {
    const res = await post(
      {
        'x-amz-target': 'Kinesis_20131202.PutRecord',
        'content-type': 'application/x-amz-json-1.1',
      },
      '{}',
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toContain("'Kinesis_20131202.PutRecord'");
    expect(body.message).toContain('AmazonSQS');
    expect(body.message).toContain('AWSEvents');
  });

  it('refuses a body that is not JSON with SerializationException', async () => {
    const res = await post({ 'x-amz-target': 'FakeService_20250101.DoThing' }, '{nope');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('routes paths added with addRoute, and counts them when they name a service', async () => {
    const res = await post(
      { 'content-type': 'application/json' },
      '{"x":1}',
      '/2015-03-31/functions/my-fn/invocations',
    );
    expect(await res.json()).toEqual({ fn: 'my-fn', got: '{"x":1}' });
    expect(recorder.metrics().calls['Lambda']?.['Invoke']).toBe(1);
  });

  it('routes the query protocol by the SigV4 scope, and names a service it does not emulate', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const scope = (service: string) =>
      `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
    const sqs = await post(
      { ...form, authorization: scope('sqs') },
      'Action=ListQueues&Version=2012-11-05',
    );
    expect(sqs.status).toBe(200);
    expect(await sqs.text()).toContain('<ListQueuesResponse');

    const sts = await post(
      { ...form, authorization: scope('sts') },
      'Action=GetCallerIdentity&Version=2011-06-15',
    );
    expect(sts.status).toBe(400);
    const xml = await sts.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain("signed for service 'sts'");
  });

  it('answers an unknown route with 404 naming what it received', async () => {
    const res = await fetch(`${cloud.endpoint}/no/such/thing`, {
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { message: string };
    expect(body.message).toContain('GET /no/such/thing');
    expect(body.message).toContain('Content-Type: text/plain');
  });

  it('serves the real SDK with any credentials', async () => {
    const client = new SQSClient({
      endpoint: cloud.endpoint,
      region: 'eu-west-3', // the region in the signature does not matter
      credentials: { accessKeyId: 'whatever', secretAccessKey: 'whatever', sessionToken: 'tok' },
    });
    await expect(client.send(new ListQueuesCommand({}))).resolves.toBeDefined();
    client.destroy();
  });
});

describe('/_local', () => {
  it('reports health', async () => {
    const health = await (await fetch(`${cloud.endpoint}/_local/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      endpoint: cloud.endpoint,
      accountId: '000000000000',
      region: 'us-east-1',
    });
    expect((health as { services: string[] }).services).toEqual(
      expect.arrayContaining(['sqs', 'events', 'fake']),
    );
  });

  it('reports API calls counted by service and action', async () => {
    await post(
      { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      '{}',
    );
    await post(
      { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      '{}',
    );
    const metrics = (await (await fetch(`${cloud.endpoint}/_local/metrics`)).json()) as {
      calls: Record<string, Record<string, number>>;
    };
    expect(metrics.calls['SQS']!['ListQueues']).toBeGreaterThanOrEqual(2);
    expect(metrics.calls['FakeService_20250101']?.['DoThing']).toBeGreaterThanOrEqual(1);
  });

  it('serves the event log, filtered by sequence and correlation id', async () => {
    const event = (correlationId: string) => ({
      receivedAt: new Date().toISOString(),
      eventBusName: 'shop',
      event: { 'detail-type': 'OrderPlaced', detail: { metadata: { correlationId }, data: {} } },
      matchedRules: [],
    });
    recorder.recordEvent(event('c-1'));
    recorder.recordEvent(event('c-2'));
    recorder.recordEvent(event('c-1'));
    type Page = { events: { seq: number }[]; lastSeq: number };
    const all = (await (await fetch(`${cloud.endpoint}/_local/events`)).json()) as Page;
    expect(all.events.length).toBeGreaterThanOrEqual(3);
    const first = all.events.at(-3)!.seq;
    const since = (await (
      await fetch(`${cloud.endpoint}/_local/events?since=${first}`)
    ).json()) as Page;
    expect(since.events).toHaveLength(2);
    const c1 = (await (
      await fetch(`${cloud.endpoint}/_local/events?correlationId=c-1`)
    ).json()) as Page;
    expect(c1.events).toHaveLength(2);
    expect(c1.lastSeq).toBe(all.lastSeq);
    const bad = await fetch(`${cloud.endpoint}/_local/events?since=abc`);
    expect(bad.status).toBe(400);
  });
});

describe('starting', () => {
  let blocker: Server;
  let taken: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    taken = (blocker.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('says which port is taken and how to choose another', async () => {
    await expect(startLocalCloud({ port: taken, dynamodb: false })).rejects.toThrow(
      new RegExp(
        `Port ${taken} on 127.0.0.1 is already in use.*--port <n> or LOCAL_CLOUD_PORT=<n>`,
      ),
    );
  });

  it('validates its options', async () => {
    await expect(startLocalCloud({ port: 0, accountId: '42', dynamodb: false })).rejects.toThrow(
      /12 digits/,
    );
    await expect(startLocalCloud({ port: 70000, dynamodb: false })).rejects.toThrow(/0 to 65535/);
  });

  it('uses the configured account and region in queue URLs and ARNs', async () => {
    const other = await startLocalCloud({
      port: 0,
      dynamodb: false,
      accountId: '123456789012',
      region: 'eu-central-1',
    });
    try {
      const { QueueUrl } = (await other.sqs.handle('CreateQueue', { QueueName: 'acct' })) as {
        QueueUrl: string;
      };
      expect(QueueUrl).toBe(`${other.endpoint}/123456789012/acct`);
      expect(other.sqs.queueArnFromUrl(QueueUrl)).toBe(
        'arn:aws:sqs:eu-central-1:123456789012:acct',
      );
    } finally {
      await other.stop();
    }
  });
});
