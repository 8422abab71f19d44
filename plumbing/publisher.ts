import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhenResult,
  retry,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeClient, requireEnv } from './aws.js';
import { OUTBOX_KIND, type OutboxRow } from './outbox.js';
import { logger, metrics } from './powertools.js';

/** Port: send up to 10 entries; answer, per entry in order, an error code or undefined. */
export type PutEvents = (entries: PutEventsRequestEntry[]) => Promise<(string | undefined)[]>;

export const putEventsWithSdk =
  (client = eventBridgeClient()): PutEvents =>
  async (entries) => {
    const out = await client.send(new PutEventsCommand({ Entries: entries }));
    return entries.map((_, i) => out.Entries?.[i]?.ErrorCode);
  };

export interface PublisherDeps {
  busName: string;
  putEvents: PutEvents;
  /** Attempts per entry inside one invocation before the record is handed back to the stream. */
  maxAttempts?: number;
  /** Wait between attempts; default jittered exponential (below 400, 800, 1600 ms). */
  backoff?: IBackoffFactory<IRetryBackoffContext<unknown>>;
}

const defaultBackoff = new ExponentialBackoff({
  generator: fullJitterGenerator,
  initialDelay: 400,
  maxDelay: 5_000,
});

/** EventBridge takes at most 10 entries and 256 KB per PutEvents call. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

interface Pending {
  sequenceNumber: string;
  entry: PutEventsRequestEntry;
  eventId: string;
}

function toPending(event: DynamoDBStreamEvent, busName: string): Pending[] {
  const pending: Pending[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const row = unmarshall(image as Record<string, AttributeValue>) as Partial<OutboxRow>;
    if (row.kind !== OUTBOX_KIND) continue;
    pending.push({
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      eventId: row.eventId ?? '',
      entry: {
        EventBusName: busName,
        Source: row.source,
        DetailType: row.detailType,
        Detail: row.detail,
        // Event time is when it happened, so archive replay windows follow business time.
        Time: row.occurredAt ? new Date(row.occurredAt) : undefined,
      },
    });
  }
  return pending;
}

function entrySize(e: PutEventsRequestEntry): number {
  return Buffer.byteLength(
    (e.Source ?? '') + (e.DetailType ?? '') + (e.Detail ?? '') + (e.EventBusName ?? ''),
  );
}

function chunks(items: Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = entrySize(item.entry);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The outbox publisher: drains the service table's stream onto the bus.
 *
 * Hand-written rather than Powertools' BatchProcessor because PutEvents is a
 * batch API: records are sent 10 at a time, and only the entries EventBridge
 * rejected are retried (with jittered backoff). What still fails is handed back
 * as a batch item failure from the earliest failed record, so Lambda retries the
 * stream from there: nothing is dropped, and consumers dedupe on eventId.
 */
export function createPublisher(deps: PublisherDeps) {
  // A round's result is what still failed: retry while it is not empty (maxAttempts counts retries).
  const policy = retry(
    handleWhenResult((failed) => Array.isArray(failed) && failed.length > 0),
    { maxAttempts: (deps.maxAttempts ?? 4) - 1, backoff: deps.backoff ?? defaultBackoff },
  );

  /** One round: every remaining entry sent once; answers the ones that failed. */
  async function send(remaining: Pending[], attempt: number) {
    const failed: Pending[] = [];
    let published = 0;
    for (const chunk of chunks(remaining)) {
      let codes: (string | undefined)[];
      try {
        codes = await deps.putEvents(chunk.map((p) => p.entry));
      } catch (error) {
        logger.warn('PutEvents call failed; will retry the whole chunk', {
          error,
          attempt,
          entries: chunk.length,
        });
        codes = chunk.map(() => 'CallFailed');
      }
      chunk.forEach((p, i) => {
        if (codes[i]) failed.push(p);
        else published++;
      });
    }
    if (failed.length > 0) {
      logger.warn('EventBridge rejected entries; retrying them', {
        attempt,
        failed: failed.map((f) => f.eventId),
      });
    }
    return { failed, published };
  }

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    let remaining = toPending(event, deps.busName);
    let published = 0;
    if (remaining.length > 0) {
      remaining = await policy.execute(async ({ attempt }) => {
        const round = await send(remaining, attempt + 1);
        published += round.published;
        remaining = round.failed;
        return remaining;
      });
    }
    metrics.addMetric('OutboxPublished', MetricUnit.Count, published);
    if (remaining.length === 0) return { batchItemFailures: [] };

    metrics.addMetric('OutboxPublishFailed', MetricUnit.Count, remaining.length);
    const earliest = [...remaining].sort((a, b) =>
      BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1,
    )[0]!;
    logger.error('Outbox entries still failing; handing the batch back to the stream', {
      failed: remaining.map((f) => f.eventId),
      retryFrom: earliest.sequenceNumber,
    });
    return { batchItemFailures: [{ itemIdentifier: earliest.sequenceNumber }] };
  };
}

/** The default publisher wiring, used by every service's publisher entry point. */
export function defaultPublisher() {
  return createPublisher({ busName: requireEnv('EVENT_BUS_NAME'), putEvents: putEventsWithSdk() });
}
