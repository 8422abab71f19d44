import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiEncrypter, type EncryptPii } from '#plumbing/pii.js';
import { kmsClient, kmsGenerateDataKey } from '#plumbing/pii-kms.js';
import { newOrderId } from '../http/requests.js';
import type { CancelDeadline, ScheduleDeadline } from '../ports.js';
import { dynamoOrderStore } from './dynamo-order-store.js';
import { schedulerClient, schedulerDeadlines } from './scheduler-deadlines.js';

/**
 * Every port: the store on the service table (TABLE_NAME, set by the CDK stack), the clock, ids,
 * the sealing of personal fields under the PII key (PII_KEY_ARN, on place-order only), and the
 * order deadlines' schedules (on schedule-deadlines only).
 */
export const defaultDeps = once(() => ({
  ...dynamoOrderStore(documentClient(), requireEnv('TABLE_NAME')),
  now: () => new Date(),
  newOrderId,
  encryptPii: ((field, value, orderId) => encryptPii()(field, value, orderId)) as EncryptPii,
  scheduleDeadline: ((schedule) => deadlines().scheduleDeadline(schedule)) as ScheduleDeadline,
  cancelDeadline: ((orderId) => deadlines().cancelDeadline(orderId)) as CancelDeadline,
}));

/** Built on the first order placed: only place-order has PII_KEY_ARN and the grant. */
const encryptPii = once(() =>
  piiEncrypter(kmsGenerateDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);

/** The orderDeadline the stack was deployed with (ORDER_DEADLINE_SECONDS, on schedule-deadlines only). */
export const orderDeadlineSeconds = once(() => {
  const seconds = Number(requireEnv('ORDER_DEADLINE_SECONDS'));
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(
      `ORDER_DEADLINE_SECONDS must be a whole number of seconds, got "${process.env['ORDER_DEADLINE_SECONDS']}"; the OrderDeadlines construct sets it from the orderDeadline context.`,
    );
  }
  return seconds;
});

/**
 * Built on the first deadline scheduled or deleted: only schedule-deadlines has the group
 * (DEADLINE_SCHEDULE_GROUP), the target queue, the role Scheduler sends as and the DLQ.
 */
const deadlines = once(() =>
  schedulerDeadlines(schedulerClient(), {
    groupName: requireEnv('DEADLINE_SCHEDULE_GROUP'),
    queueArn: requireEnv('DEADLINE_TARGET_ARN'),
    roleArn: requireEnv('DEADLINE_ROLE_ARN'),
    deadLetterArn: requireEnv('DEADLINE_DLQ_ARN'),
  }),
);
