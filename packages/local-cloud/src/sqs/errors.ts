import { AwsError } from '../core/errors.js';

/**
 * SQS error codes as its JSON protocol names them, with the query-protocol
 * code and HTTP status from the service model (client-sqs `awsQueryError`).
 */
const CODES = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidAttributeName: ['InvalidAttributeName', 400],
  InvalidAttributeValue: ['InvalidAttributeValue', 400],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  InvalidMessageContents: ['InvalidMessageContents', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
  // Not modelled, but what SQS answers for bad or missing parameters.
  InvalidParameterValue: ['InvalidParameterValue', 400],
  MissingParameter: ['MissingParameter', 400],
  InvalidAction: ['InvalidAction', 400],
} as const;

export type SqsErrorCode = keyof typeof CODES;

export function sqsError(code: SqsErrorCode, message: string): AwsError {
  const [queryCode, status] = CODES[code];
  return new AwsError(code, message, status, queryCode === code ? undefined : queryCode);
}

export const noSuchQueue = (): AwsError =>
  sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const invalidValue = (name: string, value: unknown, reason: string): AwsError =>
  sqsError(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );

export const missing = (name: string): AwsError =>
  sqsError('MissingParameter', `The request must contain the parameter ${name}.`);
