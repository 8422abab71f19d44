import { describe, expect, it } from 'vitest';
import {
  billedGbSeconds,
  byService,
  chunks,
  costLines,
  ingestedBytes,
  totalPerMillion,
  type OrderUsage,
} from '../../bench/cost/model.js';
import { apiCallsPerOrder } from '../../bench/cost/meter.js';

const none: OrderUsage = {
  dynamodb: { read: 0, write: 0 },
  lambda: { invocations: 0, gbSeconds: 0 },
  events: { chunks: 0, bytes: 0 },
  sqs: { requests: 0 },
  http: { requests: 0 },
  logs: { bytes: 0 },
  kms: { requests: 0 },
  scheduler: { invocations: 0 },
  s3: { put: 0, get: 0 },
};

describe('the cost model', () => {
  it('bills Lambda per started millisecond times configured memory', () => {
    expect(billedGbSeconds(100.2, 512)).toBeCloseTo(0.101 * 0.5, 10);
    expect(billedGbSeconds(1, 1024)).toBeCloseTo(0.001, 10);
  });

  it('counts 64 KB and 512 KB chunks, at least one a request', () => {
    expect(chunks(10, 64)).toBe(1);
    expect(chunks(64 * 1024, 64)).toBe(1);
    expect(chunks(64 * 1024 + 1, 64)).toBe(2);
    expect(chunks(600 * 1024, 512)).toBe(2);
  });

  it("counts a log event's message bytes plus 26", () => {
    expect(ingestedBytes('héllo')).toBe(6 + 26);
  });

  it('prices each unit per million orders from the table', () => {
    const bill = costLines({
      ...none,
      dynamodb: { read: 4, write: 10 },
      lambda: { invocations: 10, gbSeconds: 1 },
      http: { requests: 2 },
    });
    const usd = (item: string) => bill.find((l) => l.item.startsWith(item))!.usdPerMillion;
    expect(usd('write request units')).toBeCloseTo(6.25, 6); // 10 x $0.625 per million
    expect(usd('read request units')).toBeCloseTo(0.5, 6);
    expect(usd('invocations')).toBeCloseTo(2, 6);
    expect(usd('duration (arm64)')).toBeCloseTo(13.3334, 3);
    expect(usd('HTTP API requests')).toBeCloseTo(2, 6);
    expect(usd('traces')).toBeCloseTo(2 * 0.05 * 5, 6);
    expect(totalPerMillion(bill)).toBeCloseTo(6.25 + 0.5 + 2 + 13.3334 + 2 + 0.5, 3);
    expect(byService(bill)[0]![0]).toBe('Lambda');
  });

  it('prices x86_64 duration higher than arm64', () => {
    const usage = { ...none, lambda: { invocations: 0, gbSeconds: 1 } };
    expect(totalPerMillion(costLines(usage, 'x86_64'))).toBeGreaterThan(
      totalPerMillion(costLines(usage, 'arm64')),
    );
  });

  it('counts API calls without stream reads, delivery counters or empty receives', () => {
    expect(
      apiCallsPerOrder({
        DynamoDB: { GetItem: 3, TransactWriteItems: 2 },
        DynamoDBStreams: { GetRecords: 40 },
        'EventBridge.targets': { Invocations: 18 },
        EventBridge: { PutEvents: 4 },
        SQS: { ReceiveMessage: 30, DeleteMessageBatch: 5 },
      }),
    ).toBe(3 + 2 + 4 + 5 + 5);
  });
});
