import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { commit } from '#plumbing/outbox.js';
import { paymentSchema, type RecordedPayment } from '../domain/payment.js';
import type { LoadPayment, SavePayment } from '../ports.js';

/** Item kind of a payment in the service table. */
export const PAYMENT_KIND = 'payment';

export const paymentKey = (orderId: string) => ({ pk: `PAYMENT#${orderId}` });

/** The stored item: the state plus the key, kind and version the table needs. */
export function toItem(state: RecordedPayment, version: number) {
  return { ...paymentKey(state.orderId), kind: PAYMENT_KIND, version, ...state };
}

export function loadPaymentWith(client: DynamoDBDocumentClient, tableName: string): LoadPayment {
  return async (orderId) => {
    const out = await client.send(
      // Strongly consistent: a stale read would only cost a conflict and a retry, but why pay it.
      new GetCommand({ TableName: tableName, Key: paymentKey(orderId), ConsistentRead: true }),
    );
    if (!out.Item) return { state: { status: 'NONE' }, version: 0 };
    const { pk: _pk, kind: _kind, version, ...rest } = out.Item;
    const parsed = paymentSchema.safeParse(rest);
    if (!parsed.success || typeof version !== 'number') {
      throw new Error(
        `Item ${paymentKey(orderId).pk} in ${tableName} is not a valid payment (version ${String(version)}): ${parsed.error?.message ?? 'version must be a number'}. Fix or delete the item.`,
      );
    }
    return { state: parsed.data, version };
  };
}

/**
 * Saves a payment with its outbox events and the PROCESSED marker in one
 * transaction, conditioned on the version it was decided on: a new payment
 * must not exist yet, an existing one must still have that version.
 */
export function savePaymentWith(client: DynamoDBDocumentClient, tableName: string): SavePayment {
  return (change) => {
    const { state, expectedVersion } = change;
    const put =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expectedVersion },
          };
    return commit(client, tableName, {
      writes: [{ Put: { TableName: tableName, Item: toItem(state, expectedVersion + 1), ...put } }],
      events: change.events,
      handledEventId: change.handledEventId,
    });
  };
}
