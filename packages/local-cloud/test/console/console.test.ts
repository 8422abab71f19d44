/**
 * The console's API on the fixture app: the page and its bundle, the live stream, the catalog
 * from the schema registry and the rules, queues and dead letters with redrive, and journeys.
 * The page itself is tested in a real browser by the shop's test/e2e/console.test.ts.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app/index.js';
import type { LocalCloud } from '../../src/cloud.js';
import { clientConfig, eventually, startFixtureApp } from '../app/support.js';

/** A JSON answer, read field by field in the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let cloud: LocalCloud;
let app: RunningApp;
let events: EventBridgeClient;
let sqs: SQSClient;

beforeAll(async () => {
  ({ cloud, app } = await startFixtureApp());
  events = new EventBridgeClient(clientConfig(cloud));
  sqs = new SQSClient(clientConfig(cloud));
});

afterAll(async () => {
  events?.destroy();
  sqs?.destroy();
  await app?.stop();
  await cloud?.stop();
});

const api = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${cloud.endpoint}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const busName = () =>
  Object.values(app.stacks['FixtureData']!.resources).find(
    (r) => r.type === 'AWS::Events::EventBus',
  )!.physicalId;

async function put(detailType: string, detail: Record<string, unknown>) {
  const out = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName(),
          Source: 'fixture.test',
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  expect(out.FailedEntryCount).toBe(0);
}

/** Reads server-sent events until `until` says stop; the frames as { event, data }. */
async function readStream(
  until: (frames: { event: string; data: Json }[]) => boolean,
  ms = 10_000,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const res = await fetch(`${cloud.endpoint}/_console/api/stream`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const frames: { event: string; data: Json }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) });
      }
      if (until(frames)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return frames;
}

describe('the local console', () => {
  it('serves its page at /_console/ and the script bundled from the registry packages, nothing from a CDN', async () => {
    expect(cloud.console.url).toBe(`${cloud.endpoint}/_console/`);
    const page = await fetch(cloud.console.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/_console/main.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(`${cloud.endpoint}/_console/main.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect(
      (await fetch(`${cloud.endpoint}/_console`, { redirect: 'manual' })).headers.get('location'),
    ).toBe('/_console/');
  });

  it('streams each bus event as it is put, with its envelope pulled out and the rules it matched', async () => {
    const id = `live-${Date.now()}`;
    const reading = readStream((f) =>
      f.some((x) => x.event === 'bus' && x.data.summary.includes(id)),
    );
    await new Promise((r) => setTimeout(r, 200));
    await put('ItemAudited', {
      id,
      metadata: { correlationId: 'corr-live', eventId: 'e-1', causationId: 'req-1' },
    });
    const frames = await reading;
    expect(frames.some((f) => f.event === 'stats')).toBe(true);
    const bus = frames.find((f) => f.event === 'bus' && f.data.summary.includes(id))!.data;
    expect(bus).toMatchObject({
      source: 'fixture.test',
      detailType: 'ItemAudited',
      lane: 'test',
      correlationId: 'corr-live',
      causationId: 'req-1',
      eventId: 'e-1',
    });
    expect(bus.matchedRules).toHaveLength(1);
    expect(bus.event['detail']).toMatchObject({ id });
  });

  it('keeps a bounded backlog: a page that connects after a burst gets the latest 200, not all', async () => {
    for (let i = 0; i < 30; i++) {
      await events.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, (_, j) => ({
            EventBusName: busName(),
            Source: 'fixture.other',
            DetailType: 'Burst',
            Detail: JSON.stringify({ n: i * 10 + j }),
          })),
        }),
      );
    }
    const frames = await readStream((f) => f.some((x) => x.event === 'stats'));
    const bus = frames.filter((f) => f.event === 'bus');
    expect(bus).toHaveLength(200);
    expect(bus.at(-1)!.data.summary).toBe('n=299');
  });

  it('lists the catalog from the schema registry, with consumers from the rules and an example from the bus', async () => {
    await put('ItemRequested', { id: 'catalogued' });
    const { body } = await api('/_console/api/catalog');
    const contracts = body['contracts'] as Json[];
    expect(contracts.map((c) => c.schemaName)).toEqual(['fixture.test@ItemRequested']);
    expect(contracts[0]).toMatchObject({
      source: 'fixture.test',
      detailType: 'ItemRequested',
      producer: 'fixture.test',
      consumers: [
        { stack: 'FixtureService', functions: ['FixtureService/Consumer'], replayOnly: false },
      ],
      schema: { required: ['id'] },
    });
    expect(contracts[0].example.detail).toEqual({ id: 'catalogued' });
  });

  it('shows a dead-letter queue with its messages and redrives them to the queue that dead-lettered them', async () => {
    const { QueueUrl: dlq } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: physicalName('ConsumerDlq') }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: JSON.stringify({ detail: { id: 'parked' } }),
      }),
    );
    const queues = (await api('/_console/api/queues')).body;
    expect(queues['message']).toMatch(/No console resource GET \/_console\/api\/queues/);
    const stats = (await api('/_console/api/stats')).body as { queues: Json[] };
    const dead = stats.queues.find((q) => q.name === physicalName('ConsumerDlq'))!;
    expect(dead).toMatchObject({ deadLetter: true, visible: 1 });
    expect(dead.redriveTo).toEqual([
      stats.queues.find((q) => q.name === physicalName('ConsumerQueue'))!.arn,
    ]);
    const source = stats.queues.find((q) => q.name === physicalName('ConsumerQueue'))!;
    expect(source).toMatchObject({
      deadLetter: false,
      deadLetterTargetArn: dead.arn,
      maxReceiveCount: 3,
    });

    const { body: letters } = await api(`/_console/api/queues/${dead.name}/messages`);
    expect((letters['messages'] as Json[]).map((m) => JSON.parse(m.body))).toEqual([
      { detail: { id: 'parked' } },
    ]);
    // Looking leaves them where they are.
    expect((await api('/_console/api/stats')).body['queues']).toContainEqual(
      expect.objectContaining({ name: dead.name, visible: 1 }),
    );

    const { status, body } = await api(`/_console/api/queues/${dead.name}/redrive`, {
      method: 'POST',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ moved: 1, how: 'StartMessageMoveTask', to: [source.arn] });
    await eventually(async () => {
      const s = (await api('/_console/api/stats')).body as { queues: Json[] };
      return s.queues.find((q) => q.name === dead.name)!.visible === 0 ? true : undefined;
    });
  });

  it('redrives a dead-letter queue no RedrivePolicy names to the queue its redrive-to tag names', async () => {
    const target = (await cloud.sqs.handle('CreateQueue', { QueueName: 'console-target' })) as {
      QueueUrl: string;
    };
    const targetArn = cloud.sqs.queueArnFromUrl(target.QueueUrl);
    const { QueueUrl: parked } = (await cloud.sqs.handle('CreateQueue', {
      QueueName: 'console-parked',
      tags: { 'redrive-to': targetArn },
    })) as { QueueUrl: string };
    await cloud.sqs.handle('SendMessage', { QueueUrl: parked, MessageBody: 'due' });
    const stats = (await api('/_console/api/stats')).body as { queues: Json[] };
    expect(stats.queues.find((q) => q.name === 'console-parked')).toMatchObject({
      deadLetter: true,
      redriveByTag: true,
      redriveTo: [targetArn],
    });
    const { body } = await api('/_console/api/queues/console-parked/redrive', { method: 'POST' });
    expect(body).toEqual({
      queue: 'console-parked',
      moved: 1,
      to: [targetArn],
      how: 'message by message',
    });
    expect(cloud.sqs.getQueueAttributes(target.QueueUrl, ['ApproximateNumberOfMessages'])).toEqual({
      ApproximateNumberOfMessages: '1',
    });
  });

  it('refuses to redrive a queue that is no dead-letter queue, saying why', async () => {
    const { status, body } = await api(
      `/_console/api/queues/${physicalName('ConsumerQueue')}/redrive`,
      { method: 'POST' },
    );
    expect(status).toBe(400);
    expect(body['message']).toMatch(/is not a dead-letter queue: no RedrivePolicy names it/);
    expect((await api('/_console/api/queues/nope/messages')).status).toBe(404);
  });

  it('puts together a journey: its events in order, who consumed each, in lanes', async () => {
    const correlationId = `order-${Date.now()}`;
    await put('ItemRequested', {
      id: 'j1',
      metadata: { correlationId, eventId: 'j-1', causationId: 'request-1' },
    });
    await put('ItemAudited', {
      id: 'j1',
      metadata: { correlationId, eventId: 'j-2', causationId: 'j-1' },
    });
    const { body } = await api(`/_console/api/journeys/${correlationId}`);
    expect(
      (body['events'] as Json[]).map((e) => [e.detailType, e.consumers.map((c: Json) => c.lane)]),
    ).toEqual([
      ['ItemRequested', ['fixtureservice']],
      ['ItemAudited', ['fixtureservice']],
    ]);
    expect(body['lanes']).toEqual(['outside', 'test', 'fixtureservice']);
    expect(body['deadLetters']).toEqual([]);
  });

  it('answers an unknown console path with a 404 naming what exists', async () => {
    const { status, body } = await api('/_console/api/nothing');
    expect(status).toBe(404);
    expect(body['message']).toContain('journeys/{id}');
  });
});

function physicalName(logicalPrefix: string): string {
  const r = Object.values(app.stacks['FixtureService']!.resources).find(
    (x) => x.type === 'AWS::SQS::Queue' && x.logicalId.startsWith(logicalPrefix),
  )!;
  return r.physicalId.split('/').at(-1)!;
}
