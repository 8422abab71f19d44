import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ConstantBackoff } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderCompleted } from '#events';
import { outboxRow } from '#plumbing/outbox.js';
import { createPublisher, putEventsWithSdk, type PutEvents } from '#plumbing/publisher.js';

function streamOf(count: number, extra: DynamoDBStreamEvent['Records'] = []): DynamoDBStreamEvent {
  const records = Array.from({ length: count }, (_, i) => {
    const event = createEvent(
      OrderCompleted,
      { orderId: `ord_${i}`, customerId: 'cus_1' },
      { correlationId: `ord_${i}`, causationId: 'x' },
    );
    return {
      eventName: 'INSERT' as const,
      dynamodb: {
        SequenceNumber: String(100 + i),
        NewImage: marshall(outboxRow(event)) as never,
      },
    };
  });
  return { Records: [...extra, ...records] };
}

const noWait = new ConstantBackoff(0);

describe('outbox publisher', () => {
  it('sends outbox rows in PutEvents calls of at most 10 entries, to the configured bus', async () => {
    const calls: number[] = [];
    const putEvents: PutEvents = async (entries) => {
      calls.push(entries.length);
      expect(entries.every((e) => e.EventBusName === 'shop-bus')).toBe(true);
      return entries.map(() => undefined);
    };
    const publish = createPublisher({ busName: 'shop-bus', putEvents, backoff: noWait });
    expect(await publish(streamOf(23))).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([10, 10, 3]);
  });

  it('ignores stream records that are not new outbox rows', async () => {
    const sent: unknown[] = [];
    const publish = createPublisher({
      busName: 'b',
      putEvents: async (e) => (sent.push(...e), e.map(() => undefined)),
      backoff: noWait,
    });
    await publish(
      streamOf(1, [
        {
          eventName: 'MODIFY',
          dynamodb: {
            SequenceNumber: '1',
            NewImage: marshall({ pk: 'ORDER#1', kind: 'order' }) as never,
          },
        },
        {
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '2',
            NewImage: marshall({ pk: 'ORDER#1', kind: 'order' }) as never,
          },
        },
        { eventName: 'REMOVE', dynamodb: { SequenceNumber: '3' } },
      ]),
    );
    expect(sent).toHaveLength(1);
  });

  it('retries only the entries EventBridge rejected, until they pass', async () => {
    const attempts = new Map<string, number>();
    const putEvents: PutEvents = async (entries) =>
      entries.map((e) => {
        const n = (attempts.get(e.Detail!) ?? 0) + 1;
        attempts.set(e.Detail!, n);
        // the events of ord_0 and ord_3 are throttled twice, then accepted
        const throttled = /"ord_[03]"/.test(e.Detail!);
        return throttled && n < 3 ? 'ThrottlingException' : undefined;
      });
    const publish = createPublisher({ busName: 'b', putEvents, backoff: noWait });
    expect(await publish(streamOf(6))).toEqual({ batchItemFailures: [] });
    expect([...attempts.values()].sort()).toEqual([1, 1, 1, 1, 3, 3]);
  });

  it('hands the batch back from the earliest entry still failing, never dropping it', async () => {
    const putEvents: PutEvents = async (entries) =>
      entries.map((e) =>
        e.Detail!.includes('ord_4') || e.Detail!.includes('ord_2') ? 'InternalFailure' : undefined,
      );
    const publish = createPublisher({ busName: 'b', putEvents, maxAttempts: 2, backoff: noWait });
    expect(await publish(streamOf(6))).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
  });

  it('sends an entry that keeps failing exactly maxAttempts times, waiting between rounds', async () => {
    let sends = 0;
    const waits: number[] = [];
    const putEvents: PutEvents = async (entries) => (sends++, entries.map(() => 'InternalFailure'));
    const publish = createPublisher({
      busName: 'b',
      putEvents,
      maxAttempts: 3,
      backoff: {
        next: (context) => {
          waits.push(context.attempt);
          return { duration: 0, next: (c) => (waits.push(c.attempt), { duration: 0 }) as never };
        },
      },
    });
    expect(await publish(streamOf(1))).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expect(sends).toBe(3);
    expect(waits).toEqual([1, 2]);
  });

  it('treats a failed call as every entry of the chunk failing', async () => {
    let calls = 0;
    const putEvents: PutEvents = async (entries) => {
      if (++calls === 1) throw new Error('socket hang up');
      return entries.map(() => undefined);
    };
    const publish = createPublisher({ busName: 'b', putEvents, backoff: noWait });
    expect(await publish(streamOf(3))).toEqual({ batchItemFailures: [] });
    expect(calls).toBe(2);
  });

  it('the SDK adapter maps per-entry error codes in order', async () => {
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    });
    const put = putEventsWithSdk(new EventBridgeClient({ region: 'us-east-1' }));
    expect(await put([{ Source: 's' }, { Source: 't' }])).toEqual([
      undefined,
      'ThrottlingException',
    ]);
    eb.restore();
  });
});
