import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiDecrypter, piiEncrypter, type DecryptPii, type EncryptPii } from '#plumbing/pii.js';
import { kmsClient, kmsDecryptDataKey, kmsGenerateDataKey } from '#plumbing/pii-kms.js';
import { dynamoExportStore } from '../exports/adapters/dynamo-export-store.js';
import { dynamoOrderPages } from '../exports/adapters/dynamo-order-pages.js';
import { httpCallback } from '../exports/adapters/http-callback.js';
import { s3ObjectWriter } from '../exports/adapters/s3-object-writer.js';
import { s3Presigner } from '../exports/adapters/s3-presigner.js';
import { sqsDelayRetry } from '../exports/adapters/sqs-delay-retry.js';
import { newCallbackSecret, newExportId } from '../exports/http/requests.js';
import type {
  DelayRetry,
  OpenObjectWriter,
  PresignDownload,
  ReadOrderPages,
} from '../exports/ports.js';
import { newOrderId } from '../http/requests.js';
import type { CancelDeadline, ScheduleDeadline } from '../ports.js';
import { dynamoOrderStore } from './dynamo-order-store.js';
import { schedulerClient, schedulerDeadlines } from './scheduler-deadlines.js';

/**
 * Every port of the orders service, each built on first use from the environment its CDK
 * construct sets: the order and export stores on the service table (TABLE_NAME), the clock, ids,
 * the sealing of personal fields and callback secrets under the PII key (PII_KEY_ARN, on
 * place-order, POST /exports and the export callback), the order deadlines' schedules (on
 * schedule-deadlines only), and the exports' ports: the order indexes
 * (ORDERS_BY_CUSTOMER_INDEX / ORDERS_BY_DAY_INDEX, worker), the bucket (EXPORTS_BUCKET, worker
 * and status), ALLOW_LOOPBACK_CALLBACKS (POST /exports) and CALLBACK_QUEUE_URL (the callback).
 */
export const defaultDeps = once(() => ({
  ...dynamoOrderStore(documentClient(), requireEnv('TABLE_NAME')),
  ...dynamoExportStore(documentClient(), requireEnv('TABLE_NAME')),
  now: () => new Date(),
  random: Math.random,
  newOrderId,
  newExportId,
  newCallbackSecret,
  allowLoopbackCallbacks: process.env['ALLOW_LOOPBACK_CALLBACKS'] === 'true',
  encryptPii: ((field, value, id) => encryptPii()(field, value, id)) as EncryptPii,
  decryptPii: ((field, ciphertext, id) => decryptPii()(field, ciphertext, id)) as DecryptPii,
  scheduleDeadline: ((schedule) => deadlines().scheduleDeadline(schedule)) as ScheduleDeadline,
  cancelDeadline: ((orderId) => deadlines().cancelDeadline(orderId)) as CancelDeadline,
  readOrderPages: ((query) => orderPages()(query)) as ReadOrderPages,
  openObjectWriter: ((key) => objectWriter()(key)) as OpenObjectWriter,
  presignDownload: ((key, seconds) => presigner()(key, seconds)) as PresignDownload,
  postCallback: httpCallback(),
  delayRetry: ((handle, seconds) => delayRetry()(handle, seconds)) as DelayRetry,
}));

const encryptPii = once(() =>
  piiEncrypter(kmsGenerateDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);
const decryptPii = once(() =>
  piiDecrypter(kmsDecryptDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);

/**
 * A custom endpoint (AWS_ENDPOINT_URL: the local cloud) is addressed path-style, since
 * `<bucket>.127.0.0.1` resolves nowhere; against AWS, virtual-hosted style as S3 prefers.
 */
const s3Client = once(() => new S3Client({ forcePathStyle: !!process.env['AWS_ENDPOINT_URL'] }));
const orderPages = once(() =>
  dynamoOrderPages(documentClient(), requireEnv('TABLE_NAME'), {
    byCustomer: requireEnv('ORDERS_BY_CUSTOMER_INDEX'),
    byDay: requireEnv('ORDERS_BY_DAY_INDEX'),
  }),
);
const objectWriter = once(() => s3ObjectWriter(s3Client(), requireEnv('EXPORTS_BUCKET')));
const presigner = once(() => s3Presigner(s3Client(), requireEnv('EXPORTS_BUCKET')));
const delayRetry = once(() => sqsDelayRetry(new SQSClient({}), requireEnv('CALLBACK_QUEUE_URL')));

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
