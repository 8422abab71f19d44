import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { OrderCancelled, OrderCompleted, OrderPlaced } from '#events';
import {
  consumedEventSchema,
  createConsumer,
  parseBody,
  type Consumed,
} from '#plumbing/consumer.js';

const context = { awsRequestId: 'r', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

function record(id: string, body: unknown): SQSRecord {
  return {
    messageId: id,
    receiptHandle: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1700000000001',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  };
}

function busEvent(orderId: string, type: 'OrderCompleted' | 'OrderCancelled' = 'OrderCompleted') {
  const e =
    type === 'OrderCompleted'
      ? createEvent(
          OrderCompleted,
          { orderId, customerId: 'c' },
          { correlationId: orderId, causationId: 'x' },
        )
      : createEvent(
          OrderCancelled,
          { orderId, customerId: 'c', reason: 'CUSTOMER_REQUEST', previousStatus: 'PENDING' },
          { correlationId: orderId, causationId: 'x' },
        );
  return {
    version: '0',
    id: 'e',
    source: e.source,
    'detail-type': e.detailType,
    time: 't',
    account: '0',
    region: 'us-east-1',
    resources: [],
    detail: e.detail,
  };
}

describe('SQS consumer', () => {
  it('hands each valid event, typed, to the handler in order', async () => {
    const seen: string[] = [];
    const consume = createConsumer({
      consumes: [OrderCompleted, OrderCancelled],
      handle: async (event: Consumed<typeof OrderCompleted | typeof OrderCancelled>) => {
        seen.push(`${event['detail-type']}:${event.detail.data.orderId}`);
      },
    });
    const batch: SQSEvent = {
      Records: [record('1', busEvent('o1')), record('2', busEvent('o2', 'OrderCancelled'))],
    };
    expect(await consume(batch, context)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['OrderCompleted:o1', 'OrderCancelled:o2']);
  });

  it('reports only the failed messages, so SQS redelivers just those', async () => {
    const consume = createConsumer({
      consumes: [OrderCompleted],
      handle: async (event) => {
        if (event.detail.data.orderId === 'o2') throw new Error('boom');
      },
    });
    const batch: SQSEvent = {
      Records: [
        record('1', busEvent('o1')),
        record('2', busEvent('o2')),
        record('3', busEvent('o3')),
      ],
    };
    expect(await consume(batch, context)).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('fails (never silently drops) a message that breaks the contract or is not consumed here', async () => {
    const handled: string[] = [];
    const consume = createConsumer({
      consumes: [OrderCompleted],
      handle: async (event) => void handled.push(event.detail.data.orderId),
    });
    const broken = busEvent('o2');
    (broken.detail.data as Record<string, unknown>)['customerId'] = 42;
    const placed = { ...busEvent('o3'), 'detail-type': OrderPlaced.detailType };
    const batch: SQSEvent = {
      Records: [
        record('1', busEvent('o1')),
        record('2', broken),
        record('3', placed),
        record('4', 'not json'),
      ],
    };
    expect(await consume(batch, context)).toEqual({
      batchItemFailures: [
        { itemIdentifier: '2' },
        { itemIdentifier: '3' },
        { itemIdentifier: '4' },
      ],
    });
    expect(handled).toEqual(['o1']);
  });

  it('says which message and which field broke the contract, and what a non-JSON body held', () => {
    const schema = consumedEventSchema([OrderCompleted]);
    const broken = busEvent('o2');
    (broken.detail.data as Record<string, unknown>)['customerId'] = 42;
    expect(() => parseBody(record('m-2', broken), schema)).toThrow(
      /Message m-2: .*detail\.data\.customerId: .*string/,
    );
    expect(() => parseBody(record('m-4', 'not json'), schema)).toThrow(
      'Message m-4: the body is not JSON (received "not json"); expected an EventBridge event.',
    );
  });
});

describe('oncePerEvent', () => {
  it('always gives its in-progress lock an expiry, even when the invocation has no time left', async () => {
    const { DynamoDBClient, PutItemCommand, UpdateItemCommand } =
      await import('@aws-sdk/client-dynamodb');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { oncePerEvent } = await import('#plumbing/once-per-event.js');
    const ddb = mockClient(DynamoDBClient);
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
    try {
      const consume = createConsumer({
        consumes: [OrderCompleted],
        ...oncePerEvent(async () => undefined, { tableName: 'service-table' }),
      });
      const late = { ...context, getRemainingTimeInMillis: () => 0 } as Context;
      expect(await consume({ Records: [record('1', busEvent('o1'))] }, late)).toEqual({
        batchItemFailures: [],
      });
      const lock = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
      expect(lock.TableName).toBe('service-table');
      expect(lock.Item?.['status']).toEqual({ S: 'INPROGRESS' });
      // Without it Powertools' lock never expires and every redelivery fails as "in progress".
      expect(lock.Item?.['in_progress_expiration']).toBeDefined();
    } finally {
      ddb.restore();
    }
  });

  it('a consumer without it writes no idempotency record: the state transaction deduplicates', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { mockClient } = await import('aws-sdk-client-mock');
    const ddb = mockClient(DynamoDBClient);
    try {
      let handled = 0;
      const consume = createConsumer({
        consumes: [OrderCompleted],
        handle: async () => void handled++,
      });
      const message = record('1', busEvent('o1'));
      await consume({ Records: [message, { ...message, messageId: '2' }] }, context);
      expect(handled).toBe(2);
      expect(ddb.calls()).toHaveLength(0);
    } finally {
      ddb.restore();
    }
  });
});
