/** The DynamoDB stream poller against a scripted stream and function (no cloud). */
import { describe, expect, it } from 'vitest';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { StreamPoller } from '../../../src/app/esm/streams.js';
import type { MappingConfig, MappingTarget } from '../../../src/app/esm/types.js';
import { eventually } from '../support.js';

const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2024';

/** A stream with one shard holding `count` INSERT records, sequence numbers 1..count. */
function fakeStream(count: number) {
  let delivered = false;
  const records = Array.from({ length: count }, (_, i) => ({
    eventID: `e${i + 1}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date(1_700_000_000_000),
      Keys: { pk: { S: `k${i + 1}` } },
      SequenceNumber: String(i + 1),
      StreamViewType: 'NEW_IMAGE',
    },
  }));
  return {
    async send(command: { constructor: { name: string } }) {
      switch (command.constructor.name) {
        case 'DescribeStreamCommand':
          return {
            StreamDescription: {
              Shards: [{ ShardId: 's1', SequenceNumberRange: { StartingSequenceNumber: '1' } }],
            },
          };
        case 'GetShardIteratorCommand':
          return { ShardIterator: 'it' };
        case 'GetRecordsCommand': {
          const out = delivered ? [] : records;
          delivered = true;
          return { Records: out, NextShardIterator: 'it' };
        }
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  } as unknown as DynamoDBStreamsClient;
}

function fakeSqs(sent: string[]) {
  return {
    async send(command: { constructor: { name: string }; input: { MessageBody?: string } }) {
      if (command.constructor.name === 'GetQueueUrlCommand') return { QueueUrl: 'http://q' };
      if (command.constructor.name === 'SendMessageCommand') sent.push(command.input.MessageBody!);
      return {};
    },
  } as unknown as SQSClient;
}

type Outcome =
  { ok: true; payload: string } | { ok: false; error: { errorType: string; errorMessage: string } };

/** A function that records each batch (as sequence numbers) and answers with `answer(batch, call)`. */
function target(answer: (batch: string[], call: number) => Outcome) {
  const calls: string[][] = [];
  const t: MappingTarget = {
    label: 'T/Fn',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
    async invoke(event) {
      const batch = (event as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records.map(
        (r) => r.dynamodb.SequenceNumber,
      );
      calls.push(batch);
      return { requestId: `r${calls.length}`, ...answer(batch, calls.length) };
    },
  };
  return { t, calls };
}

const mapping = (over: Partial<MappingConfig>): MappingConfig => ({
  uuid: 'u',
  logicalId: 'Map',
  stackName: 'S',
  functionRef: 'fn',
  eventSourceArn: STREAM,
  enabled: true,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  filterPatterns: [],
  ...over,
});

async function run(
  config: MappingConfig,
  fn: MappingTarget,
  count: number,
  sent: string[] = [],
  done: () => boolean,
) {
  const logs: string[] = [];
  const poller = new StreamPoller(config, fn, {
    streams: fakeStream(count),
    sqs: fakeSqs(sent),
    region: 'us-east-1',
    filter: () => true,
    log: (l) => logs.push(l),
    pollIntervalMs: 5,
    retryDelayMs: 1,
  });
  poller.start();
  try {
    await eventually(async () => (done() ? true : undefined), 5000, 'the poller to finish');
  } finally {
    await poller.stop();
  }
  return logs;
}

const ok: Outcome = { ok: true, payload: '{"batchItemFailures":[]}' };

describe('StreamPoller', () => {
  it('restarts from the first failed record of a partial batch response', async () => {
    const { t, calls } = target((batch, call) =>
      call === 1
        ? {
            ok: true,
            payload: '{"batchItemFailures":[{"itemIdentifier":"2"},{"itemIdentifier":"3"}]}',
          }
        : ok,
    );
    await run(mapping({ batchSize: 10 }), t, 3, [], () => calls.length >= 2);
    expect(calls).toEqual([
      ['1', '2', '3'],
      ['2', '3'],
    ]);
  });

  it('retries a failing batch MaximumRetryAttempts times, then sends its description to the on-failure queue', async () => {
    const sent: string[] = [];
    const { t, calls } = target(() => ({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom' },
    }));
    const logs = await run(
      mapping({
        batchSize: 2,
        maximumRetryAttempts: 1,
        onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:dlq',
      }),
      t,
      3,
      sent,
      () => sent.length >= 2,
    );
    // Records 1-2: two attempts, then given up; record 3: the same.
    expect(calls.slice(0, 4)).toEqual([['1', '2'], ['1', '2'], ['3'], ['3']]);
    const first = JSON.parse(sent[0]!);
    expect(first).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { functionError: 'Unhandled' },
      DDBStreamBatchInfo: {
        shardId: 's1',
        startSequenceNumber: '1',
        endSequenceNumber: '2',
        batchSize: 2,
        streamArn: STREAM,
      },
    });
    expect(
      logs.some((l) => l.includes('retries exhausted after 2 attempt(s): 2 record(s) skipped')),
    ).toBe(true);
  });

  it('halves the batch after an error when BisectBatchOnFunctionError is set', async () => {
    const { t, calls } = target((batch) =>
      batch.includes('4')
        ? { ok: false, error: { errorType: 'Error', errorMessage: 'bad 4' } }
        : ok,
    );
    await run(
      mapping({ batchSize: 4, bisectBatchOnFunctionError: true, maximumRetryAttempts: 5 }),
      t,
      4,
      [],
      () => calls.length >= 5,
    );
    // The failing half is split again until the bad record is alone; the good ones go through.
    expect(calls.slice(0, 5)).toEqual([['1', '2', '3', '4'], ['1', '2'], ['3', '4'], ['3'], ['4']]);
  });
});

/** A one-shard stream whose GetRecords answers with `read(limit)`, counting its calls. */
function scriptedStream(read: (limit: number | undefined) => unknown[]) {
  const counter = { reads: 0 };
  const streams = {
    async send(command: { constructor: { name: string }; input: { Limit?: number } }) {
      switch (command.constructor.name) {
        case 'DescribeStreamCommand':
          return { StreamDescription: { Shards: [{ ShardId: 's1' }] } };
        case 'GetShardIteratorCommand':
          return { ShardIterator: 'it' };
        case 'GetRecordsCommand':
          counter.reads++;
          return { Records: read(command.input.Limit), NextShardIterator: 'it' };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  } as unknown as DynamoDBStreamsClient;
  return { streams, counter };
}

describe('StreamPoller on a quiet stream', () => {
  it('reads at once after a write to its table, not at its next poll', async () => {
    let pending: unknown[] = [];
    let listener: (() => void) | undefined;
    const { streams, counter } = scriptedStream(() => {
      const out = pending;
      pending = [];
      return out;
    });
    const { t, calls } = target(() => ok);
    const poller = new StreamPoller(mapping({ batchSize: 10 }), t, {
      streams,
      sqs: fakeSqs([]),
      region: 'us-east-1',
      filter: () => true,
      log: () => undefined,
      // An hour: only the write can make it read again.
      pollIntervalMs: 3_600_000,
      onTableWrite: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    });
    poller.start();
    try {
      await eventually(async () => (counter.reads >= 1 ? true : undefined), 5000, 'the first read');
      pending = [
        {
          eventID: 'e1',
          eventName: 'INSERT',
          dynamodb: { Keys: { pk: { S: 'k1' } }, SequenceNumber: '1' },
        },
      ];
      listener!();
      await eventually(async () => (calls.length === 1 ? true : undefined), 2000, 'the batch');
      expect(calls).toEqual([['1']]);
      // The page was short of the limit, so it was all there was: no read finds nothing right
      // after the batch (one read at the start, one for the write).
      await new Promise((r) => setTimeout(r, 50));
      expect(counter.reads).toBe(2);
    } finally {
      await poller.stop();
    }
    expect(listener, 'unsubscribed on stop').toBeUndefined();
  });
});

describe('StreamPoller reading a backlog', () => {
  it('goes straight on after a full page, without waiting for a write or the poll', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({
      eventID: `e${i + 1}`,
      eventName: 'INSERT',
      dynamodb: { Keys: { pk: { S: `k${i + 1}` } }, SequenceNumber: String(i + 1) },
    }));
    const { streams, counter } = scriptedStream((limit) => records.splice(0, limit));
    const { t, calls } = target(() => ok);
    const poller = new StreamPoller(mapping({ batchSize: 2 }), t, {
      streams,
      sqs: fakeSqs([]),
      region: 'us-east-1',
      filter: () => true,
      log: () => undefined,
      pollIntervalMs: 3_600_000, // no write and no poll: only full pages make it read on
    });
    poller.start();
    try {
      await eventually(async () => (calls.length === 3 ? true : undefined), 2000, 'three batches');
      expect(calls).toEqual([['1', '2'], ['3', '4'], ['5']]);
      expect(counter.reads).toBe(3); // the third page was short: nothing more is read until told
    } finally {
      await poller.stop();
    }
  });
});
