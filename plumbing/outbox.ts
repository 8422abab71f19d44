import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/contract.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Item kind the stream publisher looks for; everything else on the stream is ignored. */
export const OUTBOX_KIND = 'outbox';
const DAY = 24 * 60 * 60;
/** Outbox rows live long enough for the stream (24 h) and for operators to look back. */
export const OUTBOX_TTL_SECONDS = 7 * DAY;
/** How long an event id is remembered as processed; longer than any redelivery or archive replay we run. */
export const PROCESSED_TTL_SECONDS = 30 * DAY;

export interface OutboxRow {
  pk: string;
  kind: typeof OUTBOX_KIND;
  eventId: string;
  source: string;
  detailType: string;
  /** The detail as the JSON string PutEvents sends. */
  detail: string;
  occurredAt: string;
  correlationId: string;
  ttl: number;
}

const epoch = (now: Date) => Math.floor(now.getTime() / 1000);

export function outboxRow(event: DomainEvent, now = new Date()): OutboxRow {
  const { metadata } = event.detail;
  return {
    pk: `OUTBOX#${metadata.eventId}`,
    kind: OUTBOX_KIND,
    eventId: metadata.eventId,
    source: event.source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    occurredAt: metadata.occurredAt,
    correlationId: metadata.correlationId,
    ttl: epoch(now) + OUTBOX_TTL_SECONDS,
  };
}

/** Result of a commit: applied, or skipped because this event was already processed. */
export type CommitResult = 'committed' | 'duplicate';

/** Another writer changed an item this commit was conditioned on; reload and decide again. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly reasons: string[]) {
    super(`A concurrent update changed the items this change depends on (${reasons.join(', ')}).`);
    this.name = 'ConcurrentUpdateError';
  }
}

export interface Commit {
  /** The state changes, with their own conditions (optimistic concurrency). */
  writes: TransactItem[];
  /** Events to publish, stored in the same transaction (transactional outbox). */
  events: readonly DomainEvent[];
  /**
   * The id of the event being handled. A marker for it is written in the same
   * transaction, so a redelivered or replayed event can never apply twice, even
   * if the idempotency layer in front of the handler forgot it (expired, or a
   * crash between commit and the idempotency record).
   */
  handledEventId?: string;
}

/**
 * Writes a state change and the events it emits in one TransactWriteItems:
 * no dual writes. The stream publisher sends the outbox rows to the bus.
 */
export async function commit(
  client: DynamoDBDocumentClient,
  tableName: string,
  change: Commit,
  now = new Date(),
): Promise<CommitResult> {
  const items: TransactItem[] = [];
  if (change.handledEventId) {
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          pk: `PROCESSED#${change.handledEventId}`,
          kind: 'processed',
          ttl: epoch(now) + PROCESSED_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  items.push(...change.writes);
  for (const event of change.events) {
    items.push({
      Put: {
        TableName: tableName,
        Item: outboxRow(event, now),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  if (items.length === 0) return 'committed';
  if (items.length > 100) {
    throw new Error(
      `A change of ${items.length} items exceeds DynamoDB's 100 items per transaction; split the command.`,
    );
  }
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
    return 'committed';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (change.handledEventId && codes[0] === 'ConditionalCheckFailed') return 'duplicate';
    if (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict')) {
      throw new ConcurrentUpdateError(codes);
    }
    throw error;
  }
}
