import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { commit, ConcurrentUpdateError, type TransactItem } from '#plumbing/outbox.js';
import { changesOf, type Change } from '../domain/changes.js';
import type { InventoryState } from '../domain/state.js';
import type { LoadInventoryState, SaveInventoryDecision } from '../ports.js';
import {
  productFromItem,
  productKey,
  reservationFromItem,
  reservationKey,
  reservationToItem,
} from './items.js';

/**
 * Loads the reservation and the products in one TransactGetItems: a strongly
 * consistent snapshot, so a shortage is never decided on a stale read. At most
 * 1 + 50 items, inside the 100-item limit.
 */
export const loadInventoryState =
  (client: DynamoDBDocumentClient, tableName: string): LoadInventoryState =>
  async (orderId, skus) => {
    const unique = [...new Set(skus)];
    const keys = [reservationKey(orderId), ...unique.map(productKey)];
    let responses;
    try {
      const out = await client.send(
        new TransactGetCommand({
          TransactItems: keys.map((Key) => ({ Get: { TableName: tableName, Key } })),
        }),
      );
      responses = out.Responses ?? [];
    } catch (error) {
      // A transaction in flight on one of these items: reload, as after a lost race.
      if (error instanceof TransactionCanceledException) {
        throw new ConcurrentUpdateError(
          (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None'),
        );
      }
      throw error;
    }
    const reservationItem = responses[0]?.Item;
    const products: Record<string, ReturnType<typeof productFromItem>> = {};
    unique.forEach((sku, i) => {
      const item = responses[i + 1]?.Item;
      if (item) products[sku] = productFromItem(item);
    });
    const state: InventoryState = {
      reservation: reservationItem ? reservationFromItem(reservationItem) : undefined,
      products,
    };
    return state;
  };

export function toTransactItems(tableName: string, changes: readonly Change[]): TransactItem[] {
  return changes.map((change): TransactItem => {
    switch (change.type) {
      case 'PutReservation':
        return {
          Put: {
            TableName: tableName,
            Item: reservationToItem(change.reservation),
            ...(change.expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': change.expectedVersion },
                }),
          },
        };
      case 'AdjustStock':
        return {
          Update: {
            TableName: tableName,
            Key: productKey(change.sku),
            // ADD is an atomic delta: concurrent restocks of the same product are never lost.
            UpdateExpression: 'ADD #available :available, #reserved :reserved, #version :one',
            // The product must exist (ADD would create a half item), and a
            // reservation takes only stock that is still there at commit time.
            ConditionExpression:
              change.requireAvailable === undefined
                ? 'attribute_exists(pk)'
                : 'attribute_exists(pk) AND #available >= :required',
            ExpressionAttributeNames: {
              '#available': 'available',
              '#reserved': 'reserved',
              '#version': 'version',
            },
            ExpressionAttributeValues: {
              ':available': change.availableDelta,
              ':reserved': change.reservedDelta,
              ':one': 1,
              ...(change.requireAvailable === undefined
                ? {}
                : { ':required': change.requireAvailable }),
            },
          },
        };
      default: {
        const _exhaustive: never = change;
        return _exhaustive;
      }
    }
  });
}

/** Stores a decision: state changes, outbox rows and the processed marker, in one transaction. */
export const saveInventoryDecision =
  (client: DynamoDBDocumentClient, tableName: string): SaveInventoryDecision =>
  (decision) =>
    commit(client, tableName, {
      writes: toTransactItems(tableName, changesOf(decision.before, decision.facts)),
      events: decision.events,
      handledEventId: decision.handledEventId,
    });
