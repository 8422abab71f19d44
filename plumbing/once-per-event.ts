import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { EventContract } from '#events/contract.js';
import { dynamoClient } from './aws.js';
import type { ConsumerOptions, EventHandler } from './consumer.js';
import { PROCESSED_TTL_SECONDS } from './outbox.js';

/**
 * Wraps a consumer's handler in a Powertools idempotency record keyed on the event id, for
 * the one handler whose effect is outside any table it could commit a PROCESSED marker with
 * (a webhook POST): a redelivery or replay of a handled event returns without acting again.
 * State-changing consumers need none of this: their transaction carries the marker.
 *
 * Spread the result into createConsumer's options: `{ consumes, ...oncePerEvent(handle, t) }`.
 */
export function oncePerEvent<C extends EventContract>(
  handle: EventHandler<C>,
  persistence: { tableName: string },
): Pick<ConsumerOptions<C>, 'handle' | 'beforeBatch'> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.metadata.eventId',
    expiresAfterSeconds: PROCESSED_TTL_SECONDS,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: persistence.tableName,
    keyAttr: 'pk',
    expiryAttr: 'ttl',
    awsSdkV3Client: dynamoClient(),
  });
  const once = makeIdempotent(handle, { persistenceStore, config });
  return {
    handle: async (event, record) => {
      await once(event, record);
    },
    // Powertools writes no in-progress expiry when the remaining time reads 0, and such a
    // lock never expires: every redelivery would fail as "already in progress". Never 0.
    beforeBatch: (context: Context) =>
      config.registerLambdaContext({
        ...context,
        getRemainingTimeInMillis: () => {
          const left = context.getRemainingTimeInMillis();
          return left > 0 ? left : 1;
        },
      }),
  };
}
