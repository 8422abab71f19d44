import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { piiDecrypter, piiEncrypter, type DecryptPii, type EncryptPii } from '#plumbing/pii.js';
import { kmsClient, kmsDecryptDataKey, kmsGenerateDataKey } from '#plumbing/pii-kms.js';
import { tracer } from '#plumbing/powertools.js';
import type { OpenObjectWriter, PresignDownload, ReadOrderPages, DelayRetry } from '../ports.js';
import { newCallbackSecret, newExportId } from '../http/requests.js';
import { dynamoExportStore } from './dynamo-export-store.js';
import { dynamoOrderPages } from './dynamo-order-pages.js';
import { httpCallback } from './http-callback.js';
import { s3ObjectWriter } from './s3-object-writer.js';
import { s3Presigner } from './s3-presigner.js';
import { sqsDelayRetry } from './sqs-delay-retry.js';

/**
 * A custom endpoint (AWS_ENDPOINT_URL: the local cloud) is addressed path-style, since
 * `<bucket>.127.0.0.1` resolves nowhere; against AWS, virtual-hosted style as S3 prefers.
 */
const s3Client = once(() =>
  tracer.captureAWSv3Client(new S3Client({ forcePathStyle: !!process.env['AWS_ENDPOINT_URL'] })),
);

/**
 * Every port of the export functions, each built on first use from the
 * environment its CDK construct sets: TABLE_NAME; EXPORTS_BUCKET (worker and
 * status); ORDERS_BY_CUSTOMER_INDEX / ORDERS_BY_DAY_INDEX (worker); PII_KEY_ARN
 * (POST /exports and the callback); ALLOW_LOOPBACK_CALLBACKS (POST /exports);
 * CALLBACK_QUEUE_URL (the callback).
 */
export const exportDeps = once(() => ({
  ...dynamoExportStore(documentClient(), requireEnv('TABLE_NAME')),
  now: () => new Date(),
  random: Math.random,
  newExportId,
  newCallbackSecret,
  allowLoopbackCallbacks: process.env['ALLOW_LOOPBACK_CALLBACKS'] === 'true',
  encryptPii: ((field, value, id) => encrypter()(field, value, id)) as EncryptPii,
  decryptPii: ((field, ciphertext, id) => decrypter()(field, ciphertext, id)) as DecryptPii,
  readOrderPages: ((query) => orderPages()(query)) as ReadOrderPages,
  openObjectWriter: ((key) => objectWriter()(key)) as OpenObjectWriter,
  presignDownload: ((key, seconds) => presigner()(key, seconds)) as PresignDownload,
  postCallback: httpCallback(),
  delayRetry: ((handle, seconds) => delayRetry()(handle, seconds)) as DelayRetry,
}));

const encrypter = once(() =>
  piiEncrypter(kmsGenerateDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);
const decrypter = once(() =>
  piiDecrypter(kmsDecryptDataKey(kmsClient(), requireEnv('PII_KEY_ARN'))),
);
const orderPages = once(() =>
  dynamoOrderPages(documentClient(), requireEnv('TABLE_NAME'), {
    byCustomer: requireEnv('ORDERS_BY_CUSTOMER_INDEX'),
    byDay: requireEnv('ORDERS_BY_DAY_INDEX'),
  }),
);
const objectWriter = once(() => s3ObjectWriter(s3Client(), requireEnv('EXPORTS_BUCKET')));
const presigner = once(() => s3Presigner(s3Client(), requireEnv('EXPORTS_BUCKET')));
const delayRetry = once(() =>
  sqsDelayRetry(tracer.captureAWSv3Client(new SQSClient({})), requireEnv('CALLBACK_QUEUE_URL')),
);
