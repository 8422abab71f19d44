import type { Message } from '@aws-sdk/client-sqs';

/** One dead-lettered message, as an operator needs to read it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly sentAt?: string;
  /** Receives counted by SQS, in the source queue and in this one (peeks included). */
  readonly receiveCount?: number;
  /** The queue it was dead-lettered from (set by SQS for redrive-policy moves). */
  readonly sourceQueueArn?: string;
  readonly kind: 'event' | 'stream-batch' | 'unknown';
  /** For `event`: the EventBridge event the consumer could not handle. */
  readonly event?: {
    readonly id?: string;
    readonly source?: string;
    readonly detailType?: string;
    readonly time?: string;
    readonly eventId?: string;
    readonly correlationId?: string;
    readonly causationId?: string;
    readonly replayName?: string;
  };
  /** EventBridge's own delivery error, from the message attributes it adds. */
  readonly deliveryError?: {
    readonly code?: string;
    readonly message?: string;
    readonly rule?: string;
    readonly target?: string;
    readonly exhaustedRetryCondition?: string;
    readonly retryAttempts?: string;
  };
  /** For `stream-batch`: the Lambda on-failure record of an outbox publisher. */
  readonly streamBatch?: {
    readonly functionArn?: string;
    readonly condition?: string;
    readonly invokeCount?: number;
    readonly functionError?: string;
    readonly streamArn?: string;
    readonly shardId?: string;
    readonly startSequenceNumber?: string;
    readonly endSequenceNumber?: string;
    readonly batchSize?: number;
  };
  /** Any other message attributes (an error a producer put there, for instance). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Why it is here, in one sentence. */
  readonly reason: string;
  /** The start of the body, when it is not a known shape. */
  readonly body?: string;
}

const EVENTBRIDGE_ATTRIBUTES = [
  'ERROR_CODE',
  'ERROR_MESSAGE',
  'RULE_ARN',
  'TARGET_ARN',
  'EXHAUSTED_RETRY_CONDITION',
  'RETRY_ATTEMPTS',
];

/** `maxReceiveCount`: the source queue's, when known, to say how many tries the consumer had. */
export function describeMessage(
  m: Message,
  context: { maxReceiveCount?: number } = {},
): DeadLetter {
  const sys = m.Attributes ?? {};
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) {
    if (v.StringValue !== undefined) attrs[k] = v.StringValue;
    else if (v.BinaryValue !== undefined) attrs[k] = `<${v.BinaryValue.length} bytes>`;
  }
  const sent = sys['SentTimestamp'];
  const base = {
    messageId: m.MessageId ?? '?',
    ...(sent !== undefined && { sentAt: new Date(Number(sent)).toISOString() }),
    ...(sys['ApproximateReceiveCount'] !== undefined && {
      receiveCount: Number(sys['ApproximateReceiveCount']),
    }),
    ...(sys['DeadLetterQueueSourceArn'] !== undefined && {
      sourceQueueArn: sys['DeadLetterQueueSourceArn'],
    }),
  };
  const extra = Object.fromEntries(
    Object.entries(attrs).filter(([k]) => !EVENTBRIDGE_ATTRIBUTES.includes(k)),
  );
  const others = Object.keys(extra).length ? { attributes: extra } : {};
  const body = parseJson(m.Body);

  const deliveryError =
    attrs['ERROR_CODE'] !== undefined || attrs['RULE_ARN'] !== undefined
      ? {
          code: attrs['ERROR_CODE'],
          message: attrs['ERROR_MESSAGE'],
          rule: attrs['RULE_ARN'],
          target: attrs['TARGET_ARN'],
          exhaustedRetryCondition: attrs['EXHAUSTED_RETRY_CONDITION'],
          retryAttempts: attrs['RETRY_ATTEMPTS'],
        }
      : undefined;

  if (isRecord(body) && typeof body['detail-type'] === 'string' && 'detail' in body) {
    const detail = isRecord(body['detail']) ? body['detail'] : {};
    const meta = isRecord(detail['metadata']) ? detail['metadata'] : {};
    const event = {
      id: str(body['id']),
      source: str(body['source']),
      detailType: str(body['detail-type']),
      time: str(body['time']),
      eventId: str(meta['eventId']),
      correlationId: str(meta['correlationId']),
      causationId: str(meta['causationId']),
      replayName: str(body['replay-name']),
    };
    const reason = deliveryError
      ? `EventBridge could not deliver it to ${deliveryError.target ?? 'the target'} ` +
        `(${deliveryError.code ?? 'error'}: ${deliveryError.message ?? 'no message'}) and gave up ` +
        `after ${deliveryError.retryAttempts ?? '?'} retries (${deliveryError.exhaustedRetryCondition ?? '?'}).`
      : `Its consumer received it ${context.maxReceiveCount !== undefined ? `${context.maxReceiveCount} times (the source queue's maxReceiveCount)` : 'as many times as the source queue allows'} ` +
        `without deleting it (an error, a timeout, or a batch item failure), so SQS moved it here; ` +
        `the error is in the consumer's logs.`;
    return {
      ...base,
      kind: 'event',
      event: dropUndefined(event),
      ...(deliveryError && { deliveryError: dropUndefined(deliveryError) }),
      ...others,
      reason,
    };
  }

  if (isRecord(body) && isRecord(body['requestContext']) && 'DDBStreamBatchInfo' in body) {
    const ctx = body['requestContext'];
    const res = isRecord(body['responseContext']) ? body['responseContext'] : {};
    const info = isRecord(body['DDBStreamBatchInfo']) ? body['DDBStreamBatchInfo'] : {};
    const batch = {
      functionArn: str(ctx['functionArn']),
      condition: str(ctx['condition']),
      invokeCount: num(ctx['approximateInvokeCount']),
      functionError: str(res['functionError']),
      streamArn: str(info['streamArn']),
      shardId: str(info['shardId']),
      startSequenceNumber: str(info['startSequenceNumber']),
      endSequenceNumber: str(info['endSequenceNumber']),
      batchSize: num(info['batchSize']),
    };
    return {
      ...base,
      kind: 'stream-batch',
      streamBatch: dropUndefined(batch),
      ...others,
      reason:
        `The outbox publisher ${batch.functionArn ?? ''} gave up on ${batch.batchSize ?? '?'} stream records ` +
        `(${batch.condition ?? 'retries exhausted'}). The record holds their place in the stream, not the ` +
        `events: read them from the stream (kept 24 hours) and republish; redrive cannot.`,
    };
  }

  return {
    ...base,
    kind: 'unknown',
    ...(deliveryError && { deliveryError: dropUndefined(deliveryError) }),
    ...others,
    reason: deliveryError
      ? `EventBridge could not deliver it (${deliveryError.code ?? 'error'}: ${deliveryError.message ?? ''}).`
      : 'Not an EventBridge event nor a Lambda failure record; read the body.',
    body: (m.Body ?? '').slice(0, 500),
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
