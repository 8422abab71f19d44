import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { PaymentAuthorized } from '#events';
import {
  loadPaymentWith,
  savePaymentWith,
} from '../../../../functions/payments/adapters/dynamo.js';
import type { RecordedPayment } from '../../../../functions/payments/domain/payment.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';

const TABLE = 'payments-table';
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const at = '2026-01-01T00:00:00.000Z';
const EVENT_ID = '6f1c1d9e-2222-4222-8222-222222222222';

const charging: RecordedPayment = {
  status: 'CHARGING',
  orderId: 'ord-1',
  amountCents: 4200,
  currency: 'USD',
  cancelRequested: false,
  history: [{ type: 'ChargeStarted', at }],
};
const authorized: RecordedPayment = {
  status: 'AUTHORIZED',
  orderId: 'ord-1',
  amountCents: 4200,
  currency: 'USD',
  paymentId: 'ch_1',
  history: [
    { type: 'ChargeStarted', at },
    { type: 'Authorized', at },
  ],
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => ddb.reset());

describe('loadPaymentWith', () => {
  it('reads the payment item consistently and strips the table attributes', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'PAYMENT#ord-1', kind: 'payment', version: 3, ...authorized },
    });
    const loaded = await loadPaymentWith(client, TABLE)('ord-1');
    expect(loaded).toEqual({ state: authorized, version: 3 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'PAYMENT#ord-1' },
      ConsistentRead: true,
    });
  });

  it('a missing item is NONE at version 0', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await loadPaymentWith(client, TABLE)('ord-1')).toEqual({
      state: { status: 'NONE' },
      version: 0,
    });
  });

  it('an item that is not a valid payment fails loudly, naming it', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: 'PAYMENT#ord-1', kind: 'payment', version: 1, status: 'PAID', orderId: 'ord-1' },
    });
    await expect(loadPaymentWith(client, TABLE)('ord-1')).rejects.toThrow(
      /PAYMENT#ord-1 in payments-table is not a valid payment/,
    );
  });
});

describe('savePaymentWith', () => {
  it('creates a new payment only if none exists, with the PROCESSED marker, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const result = await savePaymentWith(
      client,
      TABLE,
    )({
      state: charging,
      expectedVersion: 0,
      events: [],
      handledEventId: EVENT_ID,
    });
    expect(result).toBe('committed');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toEqual([
      {
        Put: {
          TableName: TABLE,
          Item: { pk: `PROCESSED#${EVENT_ID}`, kind: 'processed', ttl: expect.any(Number) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: TABLE,
          Item: { pk: 'PAYMENT#ord-1', kind: 'payment', version: 1, ...charging },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  });

  it('updates conditioned on the version it was decided on, with the outbox rows of its events', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const event = createEvent(
      PaymentAuthorized,
      { orderId: 'ord-1', paymentId: 'ch_1', amountCents: 4200, currency: 'USD' },
      { correlationId: 'ord-1', causationId: EVENT_ID },
    );
    await savePaymentWith(
      client,
      TABLE,
    )({
      state: authorized,
      expectedVersion: 1,
      events: [event],
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2); // no marker: a provider answer is not a consumed event
    expect(items[0]).toEqual({
      Put: {
        TableName: TABLE,
        Item: { pk: 'PAYMENT#ord-1', kind: 'payment', version: 2, ...authorized },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': 1 },
      },
    });
    expect(items[1]).toEqual({
      Put: {
        TableName: TABLE,
        Item: expect.objectContaining({
          pk: `OUTBOX#${event.detail.metadata.eventId}`,
          kind: 'outbox',
          source: 'shop.payments',
          detailType: 'PaymentAuthorized',
          detail: JSON.stringify(event.detail),
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });

  it('a lost version race throws ConcurrentUpdateError (the handler reloads and decides again)', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    await expect(
      savePaymentWith(
        client,
        TABLE,
      )({
        state: authorized,
        expectedVersion: 1,
        events: [],
        handledEventId: EVENT_ID,
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('an event already processed is a duplicate, not an error', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const result = await savePaymentWith(
      client,
      TABLE,
    )({
      state: charging,
      expectedVersion: 0,
      events: [],
      handledEventId: EVENT_ID,
    });
    expect(result).toBe('duplicate');
  });
});
