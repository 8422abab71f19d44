import { AwsError } from '../core/errors.js';

/**
 * SQS error codes as its JSON protocol names them, with the query-protocol
 * code and HTTP status from the service model (client-sqs `awsQueryError`).
 * The JSON protocol also sends the query code in `x-amzn-query-error`, and
 * the SDK names the error after that header, so both SDK paths see one name.
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
  OverLimit: ['OverLimit', 403],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
  // Not modelled: over the JSON protocol SQS answers `__type` InvalidParameterValueException /
  // MissingRequiredParameterException with the query codes in `x-amzn-query-error`.
  InvalidParameterValue: ['InvalidParameterValue', 400],
  MissingParameter: ['MissingParameter', 400],
  InvalidAction: ['InvalidAction', 400],
} as const;

export type SqsErrorCode = keyof typeof CODES;

/** `__type` over the JSON protocol where it differs from the name above. */
const JSON_CODES: Partial<Record<SqsErrorCode, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
};

export function sqsError(code: SqsErrorCode, message: string): AwsError {
  const [queryCode, status] = CODES[code];
  const jsonCode = JSON_CODES[code] ?? code;
  return new AwsError(jsonCode, message, status, queryCode === jsonCode ? undefined : queryCode);
}

/** The code a batch result entry carries: the query protocol's, as in both protocols' answers. */
export function entryCode(err: unknown): string {
  if (!(err instanceof AwsError)) return 'InternalError';
  return err.code.endsWith('Exception') && err.queryCode ? err.queryCode : err.code;
}

export const noSuchQueue = (): AwsError =>
  sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const invalidValue = (name: string, value: unknown, reason: string): AwsError =>
  sqsError(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );

/** AWS's wording when it does not name the parameter, e.g. a message over MaximumMessageSize. */
export const invalidParameters = (reason: string): AwsError =>
  sqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: ${reason}`);

export const missing = (name: string): AwsError =>
  sqsError('MissingParameter', `The request must contain the parameter ${name}.`);
