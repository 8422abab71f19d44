import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { DetailOf, EventContract } from '#events/contract.js';
import { logger, metrics, withCorrelation } from './powertools.js';

/** An event as a consumer receives it: typed by its contract, discriminated on detail-type. */
export type Consumed<C extends EventContract> = C extends EventContract
  ? {
      id: string;
      source: C['source'];
      'detail-type': C['detailType'];
      time: string;
      'replay-name'?: string;
      detail: DetailOf<C>;
    }
  : never;

/**
 * `record` is the SQS message the event came in (receipt handle, receive count), for
 * handlers that pace their own retries; the consumer always passes it.
 */
export type EventHandler<C extends EventContract> = (
  event: Consumed<C>,
  record?: SQSRecord,
) => Promise<void>;

export interface ConsumerOptions<C extends EventContract> {
  consumes: readonly C[];
  handle: EventHandler<C>;
  /**
   * Called with each invocation's context before its batch, for handlers that need it
   * (oncePerEvent registers it with Powertools idempotency).
   */
  beforeBatch?: (context: Context) => void;
}

/** The schema of an SQS body carrying any of the consumed events, as EventBridge delivers it. */
export function consumedEventSchema(contracts: readonly EventContract[]) {
  const members = contracts.map((c) =>
    c.eventSchema.extend({
      id: z.string(),
      time: z.string(),
      'replay-name': z.string().optional(),
    }),
  );
  if (members.length === 0) throw new Error('A consumer must consume at least one event contract');
  return members.length === 1
    ? members[0]!
    : z.discriminatedUnion('detail-type', members as [(typeof members)[0], ...typeof members]);
}

/**
 * The message's event, checked against its contract. A body that is not JSON or breaks the
 * contract throws, naming the message and the fields, so the message fails (and after its
 * retries is dead-lettered with the error logged), never silently dropped.
 */
export function parseBody(record: SQSRecord, schema: z.ZodType): unknown {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new ContractError(
      `Message ${record.messageId}: the body is not JSON (received ${JSON.stringify(record.body.slice(0, 80))}); expected an EventBridge event.`,
    );
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues
    .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
    .join('; ');
  throw new ContractError(
    `Message ${record.messageId}: the event breaks the contract of what this consumer takes (${fields}).`,
  );
}

/** A consumed message that is not one of the consumer's contracts. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/**
 * An SQS consumer of bus events: validates every body against its contract
 * (Powertools BatchProcessor; the body checked by parseBody), processes the batch one
 * record at a time (log keys stay per event, and events of one batch apply in
 * arrival order), and answers partial batch responses so only failed messages come
 * back. It does not deduplicate: each service's state transaction does, with the
 * consumed event's PROCESSED marker (plumbing/outbox.ts commit), which a redelivery or
 * a replay cannot get past. A handler with no state to commit with wraps itself in
 * oncePerEvent (plumbing/once-per-event.ts).
 */
export function createConsumer<C extends EventContract>(options: ConsumerOptions<C>) {
  // The body is parsed here, not by Powertools' batch parser: its SQS record schema imports
  // zod's whole classic build, every locale included (about 370 KB of each bundle).
  const processor = new BatchProcessor(EventType.SQS);
  const schema = consumedEventSchema(options.consumes);

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let event: Consumed<C>;
    try {
      event = parseBody(record, schema) as Consumed<C>;
    } catch (error) {
      logger.error('Message breaks the contract; SQS will redeliver it, then dead-letter it', {
        error,
        messageId: record.messageId,
      });
      throw error;
    }
    const { metadata } = event.detail;
    await withCorrelation(
      {
        correlationId: metadata.correlationId,
        eventId: metadata.eventId,
        detailType: event['detail-type'],
      },
      async () => {
        try {
          await options.handle(event, record);
        } catch (error) {
          // Logged here, with the event's keys, so a dead letter's cause is one query away.
          logger.error('Event handling failed; the message will be redelivered', {
            error,
            messageId: record.messageId,
            receiveCount: record.attributes?.ApproximateReceiveCount,
          });
          throw error;
        }
        metrics.addMetric(`Handled${event['detail-type']}`, MetricUnit.Count, 1);
      },
    );
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    options.beforeBatch?.(context);
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
    });
    for (const failure of response.batchItemFailures) {
      logger.warn('Message failed; SQS will redeliver it, then dead-letter it', {
        messageId: failure.itemIdentifier,
      });
    }
    return response;
  };
}
