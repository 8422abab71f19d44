import { describe, expect, it } from 'vitest';
import { busArn, entry, harness, queueArn, ruleToQueue, type Harness } from './harness.js';

const archiveArn = (name: string) => `arn:aws:events:us-east-1:000000000000:archive/${name}`;

/** A clock the test moves by hand, so windows are exact. */
function clock(start = Date.UTC(2024, 4, 1, 12, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => (t = ms),
    at: (offsetS: number) => start + offsetS * 1000,
  };
}

async function putAt(h: Harness, c: ReturnType<typeof clock>, offsetS: number, n: number) {
  c.set(c.at(offsetS));
  await h.call('PutEvents', {
    Entries: [entry({ EventBusName: 'shop', Detail: JSON.stringify({ n }) })],
  });
}

async function untilState(h: Harness, name: string, state: string) {
  await h.eb.settled();
  const replay = await h.call('DescribeReplay', { ReplayName: name });
  expect(replay['State']).toBe(state);
  return replay;
}

describe('archives', () => {
  it('creates, describes, updates, lists and deletes an archive', async () => {
    const c = clock();
    const h = harness({ now: c.now });
    await h.call('CreateEventBus', { Name: 'shop' });
    const created = await h.call('CreateArchive', {
      ArchiveName: 'all',
      EventSourceArn: busArn('shop'),
      Description: 'everything',
      RetentionDays: 1,
    });
    expect(created).toEqual({
      ArchiveArn: archiveArn('all'),
      State: 'ENABLED',
      CreationTime: c.now() / 1000,
    });
    await putAt(h, c, 1, 1);
    await putAt(h, c, 2, 2);

    const described = await h.call('DescribeArchive', { ArchiveName: 'all' });
    expect(described).toMatchObject({
      ArchiveArn: archiveArn('all'),
      ArchiveName: 'all',
      EventSourceArn: busArn('shop'),
      Description: 'everything',
      State: 'ENABLED',
      RetentionDays: 1,
      EventCount: 2,
    });
    expect(described['SizeBytes']).toBeGreaterThan(0);

    await h.call('UpdateArchive', { ArchiveName: 'all', EventPattern: '{"detail":{"n":[2]}}' });
    expect((await h.call('DescribeArchive', { ArchiveName: 'all' }))['EventPattern']).toBe(
      '{"detail":{"n":[2]}}',
    );

    // Retention: a day later the events are gone.
    c.set(c.at(2 * 86_400));
    expect((await h.call('DescribeArchive', { ArchiveName: 'all' }))['EventCount']).toBe(0);

    const listed = await h.call<{ Archives: Record<string, unknown>[] }>('ListArchives', {
      EventSourceArn: busArn('shop'),
    });
    expect(listed.Archives.map((a) => a['ArchiveName'])).toEqual(['all']);
    expect(listed.Archives[0]).not.toHaveProperty('ArchiveArn');

    await h.call('DeleteArchive', { ArchiveName: 'all' });
    const gone = await h.error('DescribeArchive', { ArchiveName: 'all' });
    expect([gone.code, gone.message]).toEqual([
      'ResourceNotFoundException',
      'Archive all does not exist.',
    ]);
  });

  it('archives only what its own pattern matches', async () => {
    const c = clock();
    const h = harness({ now: c.now });
    await h.call('CreateEventBus', { Name: 'shop' });
    await h.call('CreateArchive', {
      ArchiveName: 'even',
      EventSourceArn: busArn('shop'),
      EventPattern: JSON.stringify({ detail: { n: [2, 4] } }),
    });
    for (const n of [1, 2, 3, 4]) await putAt(h, c, n, n);
    expect((await h.call('DescribeArchive', { ArchiveName: 'even' }))['EventCount']).toBe(2);
  });

  it('validates like AWS', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'shop' });
    await h.call('CreateArchive', { ArchiveName: 'a', EventSourceArn: busArn('shop') });
    const dup = await h.error('CreateArchive', {
      ArchiveName: 'a',
      EventSourceArn: busArn('shop'),
    });
    expect([dup.code, dup.message]).toEqual([
      'ResourceAlreadyExistsException',
      'Archive a already exists.',
    ]);
    const noBus = await h.error('CreateArchive', {
      ArchiveName: 'b',
      EventSourceArn: busArn('nope'),
    });
    expect([noBus.code, noBus.message]).toEqual([
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    ]);
    const twoFilters = await h.error('ListArchives', { NamePrefix: 'a', State: 'ENABLED' });
    expect(twoFilters.message).toBe(
      'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.',
    );
    const pattern = await h.error('CreateArchive', {
      ArchiveName: 'c',
      EventSourceArn: busArn('shop'),
      EventPattern: '[1]',
    });
    expect(pattern.code).toBe('InvalidEventPatternException');
  });
});

describe('replays', () => {
  /** Bus `shop` with an archive, rules `r1` and `r2` to queues q1 and q2, events n=1..5 at t=10..50 s. */
  async function world() {
    const c = clock();
    const h = harness({ now: c.now });
    await h.call('CreateEventBus', { Name: 'shop' });
    await h.call('CreateArchive', { ArchiveName: 'arch', EventSourceArn: busArn('shop') });
    const r1 = await ruleToQueue(h, { rule: 'r1', queue: 'q1', bus: 'shop' });
    const r2 = await ruleToQueue(h, { rule: 'r2', queue: 'q2', bus: 'shop' });
    for (const n of [1, 2, 3, 4, 5]) await putAt(h, c, n * 10, n);
    await h.eb.settled();
    h.sqs.sent.length = 0;
    c.set(c.at(100));
    return { h, c, r1, r2 };
  }

  const window = (c: ReturnType<typeof clock>, fromS: number, toS: number) => ({
    EventStartTime: c.at(fromS) / 1000,
    EventEndTime: c.at(toS) / 1000,
  });

  it('delivers exactly the archived events of the window, marked with replay-name', async () => {
    const { h, c, r1 } = await world();
    const originals = h.recorder.events().map((e) => e.event);
    const started = await h.call('StartReplay', {
      ReplayName: 'rp',
      EventSourceArn: archiveArn('arch'),
      Destination: { Arn: busArn('shop') },
      ...window(c, 20, 40),
    });
    expect(started).toEqual({
      ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/rp',
      State: 'STARTING',
      ReplayStartTime: c.now() / 1000,
    });
    const done = await untilState(h, 'rp', 'COMPLETED');
    expect(done).toMatchObject({
      ReplayName: 'rp',
      EventSourceArn: archiveArn('arch'),
      Destination: { Arn: busArn('shop') },
      EventStartTime: c.at(20) / 1000,
      EventEndTime: c.at(40) / 1000,
      EventLastReplayedTime: c.at(30) / 1000,
      ReplayEndTime: c.now() / 1000,
    });

    const q1 = h.sqs.bodies(queueArn('q1')) as Record<string, unknown>[];
    expect(q1.map((e) => (e['detail'] as { n: number }).n)).toEqual([2, 3]);
    expect(q1.every((e) => e['replay-name'] === 'rp')).toBe(true);
    expect(Object.keys(q1[0] ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'replay-name',
      'resources',
      'detail',
    ]);
    expect(q1[0]?.['id']).toBe(originals[1]?.['id']);
    expect(h.sqs.bodies(queueArn('q2'))).toHaveLength(2); // no FilterArns: every rule
    expect(r1).toContain('rule/shop/r1');

    // Replayed events are logged but not archived again.
    expect(h.recorder.events().filter((e) => e.event['replay-name'] === 'rp')).toHaveLength(2);
    expect((await h.call('DescribeArchive', { ArchiveName: 'arch' }))['EventCount']).toBe(5);
  });

  it('sends replayed events only to the rules in FilterArns', async () => {
    const { h, c, r2 } = await world();
    await h.call('StartReplay', {
      ReplayName: 'only-r2',
      EventSourceArn: archiveArn('arch'),
      Destination: { Arn: busArn('shop'), FilterArns: [r2] },
      ...window(c, 0, 100),
    });
    await untilState(h, 'only-r2', 'COMPLETED');
    expect(h.sqs.bodies(queueArn('q1'))).toEqual([]);
    expect(h.sqs.bodies(queueArn('q2'))).toHaveLength(5);
    const listed = await h.call<{ Replays: Record<string, unknown>[] }>('ListReplays', {
      State: 'COMPLETED',
    });
    expect(listed.Replays.map((r) => r['ReplayName'])).toEqual(['only-r2']);
  });

  it('can be cancelled: CANCELLING, then CANCELLED, and stops delivering', async () => {
    const c = clock();
    const h = harness({ now: c.now, replayEventIntervalMs: 20 });
    await h.call('CreateEventBus', { Name: 'shop' });
    await h.call('CreateArchive', { ArchiveName: 'arch', EventSourceArn: busArn('shop') });
    await ruleToQueue(h, { rule: 'r1', queue: 'q1', bus: 'shop' });
    for (let n = 1; n <= 50; n++) await putAt(h, c, n, n);
    await h.eb.settled();
    h.sqs.sent.length = 0;
    c.set(c.at(100));
    await h.call('StartReplay', {
      ReplayName: 'long',
      EventSourceArn: archiveArn('arch'),
      Destination: { Arn: busArn('shop') },
      EventStartTime: c.at(0) / 1000,
      EventEndTime: c.at(100) / 1000,
    });
    const cancelling = await h.call('CancelReplay', { ReplayName: 'long' });
    expect(cancelling).toEqual({
      ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/long',
      State: 'CANCELLING',
    });
    const cancelled = await untilState(h, 'long', 'CANCELLED');
    expect(cancelled['StateReason']).toBeDefined();
    expect(h.sqs.sent.length).toBeLessThan(50);
    const again = await h.error('CancelReplay', { ReplayName: 'long' });
    expect([again.code, again.message]).toEqual([
      'IllegalStatusException',
      'Replay long is not in a valid state for this operation.',
    ]);
  });

  it('validates StartReplay as AWS does', async () => {
    const { h, c } = await world();
    await h.call('CreateEventBus', { Name: 'other' });
    const base = { EventSourceArn: archiveArn('arch'), Destination: { Arn: busArn('shop') } };
    const backwards = await h.error('StartReplay', {
      ReplayName: 'x',
      ...base,
      ...window(c, 40, 20),
    });
    expect(backwards.message).toBe(
      'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
    const noArchive = await h.error('StartReplay', {
      ReplayName: 'x',
      ...base,
      EventSourceArn: archiveArn('nope'),
      ...window(c, 0, 10),
    });
    expect(noArchive.message).toBe(
      'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.',
    );
    const crossBus = await h.error('StartReplay', {
      ReplayName: 'x',
      ...base,
      Destination: { Arn: busArn('other') },
      ...window(c, 0, 10),
    });
    expect(crossBus.message).toBe(
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    );
    const noBus = await h.error('StartReplay', {
      ReplayName: 'x',
      ...base,
      Destination: { Arn: busArn('ghost') },
      ...window(c, 0, 10),
    });
    expect([noBus.code, noBus.message]).toEqual([
      'ResourceNotFoundException',
      'Event bus ghost does not exist.',
    ]);
    await h.call('StartReplay', { ReplayName: 'x', ...base, ...window(c, 0, 10) });
    const dup = await h.error('StartReplay', { ReplayName: 'x', ...base, ...window(c, 0, 10) });
    expect([dup.code, dup.message]).toEqual([
      'ResourceAlreadyExistsException',
      'Replay x already exists.',
    ]);
    const missing = await h.error('DescribeReplay', { ReplayName: 'nope' });
    expect(missing.message).toBe('Replay nope does not exist.');
  });
});
