import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/contract.js';
import { commit, ConcurrentUpdateError, type TransactItem } from '#plumbing/outbox.js';

/** An Idempotency-Key record to claim: its item key, kind and fields, kept for `ttlSeconds`. */
export interface KeyClaim {
  readonly pk: string;
  readonly kind: string;
  readonly fields: object;
  readonly ttlSeconds: number;
}

/**
 * Creates a new item (an order, an export) with its outbox events and its
 * Idempotency-Key record in one transaction: of two concurrent requests with
 * one key, exactly one creates. 'key-taken' when the key was claimed first.
 */
export async function createClaimingKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  change: {
    item: Record<string, unknown>;
    key: KeyClaim;
    events: readonly DomainEvent[];
  },
  at: Date,
): Promise<'created' | 'key-taken'> {
  const writes: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: change.item,
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          pk: change.key.pk,
          kind: change.key.kind,
          ...change.key.fields,
          createdAt: at.toISOString(),
          ttl: Math.floor(at.getTime() / 1000) + change.key.ttlSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  try {
    await commit(client, tableName, { writes, events: change.events }, at);
    return 'created';
  } catch (error) {
    // Reasons come in item order; without handledEventId, commit sends the
    // writes first, so index 1 is the Idempotency-Key item.
    if (error instanceof ConcurrentUpdateError && error.reasons[1] === 'ConditionalCheckFailed') {
      return 'key-taken';
    }
    throw error;
  }
}
