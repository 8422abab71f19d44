import { invalidValue, sqsError } from './errors.js';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

/** A queue's settable attributes, parsed. */
export interface QueueConfig {
  /** Set at creation only. */
  FifoQueue: boolean;
  ContentBasedDeduplication: boolean;
  DeduplicationScope: 'queue' | 'messageGroup';
  FifoThroughputLimit: 'perQueue' | 'perMessageGroupId';
  DelaySeconds: number;
  MaximumMessageSize: number;
  MessageRetentionPeriod: number;
  ReceiveMessageWaitTimeSeconds: number;
  VisibilityTimeout: number;
  RedrivePolicy?: RedrivePolicy;
  RedriveAllowPolicy?: RedriveAllowPolicy;
  Policy?: string;
  KmsMasterKeyId?: string;
  KmsDataKeyReusePeriodSeconds?: number;
  SqsManagedSseEnabled: boolean;
}

export const DEFAULT_CONFIG: QueueConfig = {
  FifoQueue: false,
  ContentBasedDeduplication: false,
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
  DelaySeconds: 0,
  MaximumMessageSize: 1_048_576,
  MessageRetentionPeriod: 345_600,
  ReceiveMessageWaitTimeSeconds: 0,
  VisibilityTimeout: 30,
  // SQS encrypts new queues with SSE-SQS by default.
  SqsManagedSseEnabled: true,
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

/** Read-only attributes GetQueueAttributes answers but SetQueueAttributes refuses. */
export const READ_ONLY = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

const FIFO_ONLY = [
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

export const SETTABLE = [
  ...Object.keys(RANGES),
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'Policy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
];

export interface RedriveChecks {
  queueArn: string;
  /** Creating or changing a FIFO queue: FIFO attributes allowed, its DLQ must be FIFO. */
  fifo: boolean;
  /** CreateQueue may set FifoQueue; SetQueueAttributes may not. */
  creating?: boolean;
  /** The DLQ's allow policy, or null if no such queue. */
  allowPolicyOf(dlqArn: string): RedriveAllowPolicy | undefined | null;
}

/** Applies attribute changes (all strings, as on the wire) to a config; throws on anything invalid. */
export function applyAttributes(
  current: QueueConfig,
  attrs: Record<string, unknown>,
  checks: RedriveChecks,
): QueueConfig {
  const next: QueueConfig = { ...current };
  const kms = attrs['KmsMasterKeyId'];
  if (typeof kms === 'string' && kms !== '' && String(attrs['SqsManagedSseEnabled']) === 'true') {
    // AWS's wording, as the AWS CLI shows it (ansible-collections/community.aws#2433).
    throw sqsError(
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  for (const [name, raw] of Object.entries(attrs)) {
    const value = typeof raw === 'string' ? raw : String(raw);
    if (name in RANGES) {
      const [min, max] = RANGES[name]!;
      const n = Number(value);
      if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
        throw sqsError(
          'InvalidAttributeValue',
          `Invalid value for the parameter ${name}. (local cloud: received '${value}'; it must be an integer from ${min} to ${max}.)`,
        );
      }
      (next as unknown as Record<string, number>)[name] = n;
    } else if (name === 'RedrivePolicy') {
      next.RedrivePolicy = value === '' ? undefined : parseRedrivePolicy(value, checks);
    } else if (name === 'RedriveAllowPolicy') {
      next.RedriveAllowPolicy = value === '' ? undefined : parseAllowPolicy(value);
    } else if (name === 'Policy') {
      if (value !== '') parseJsonObject('Policy', value);
      next.Policy = value === '' ? undefined : value;
    } else if (name === 'KmsMasterKeyId') {
      next.KmsMasterKeyId = value === '' ? undefined : value;
      if (next.KmsMasterKeyId) next.SqsManagedSseEnabled = false;
    } else if (name === 'SqsManagedSseEnabled') {
      if (value !== 'true' && value !== 'false') {
        throw sqsError(
          'InvalidAttributeValue',
          `Invalid value for the parameter SqsManagedSseEnabled. (local cloud: received '${value}'; it must be true or false.)`,
        );
      }
      next.SqsManagedSseEnabled = value === 'true';
      if (next.SqsManagedSseEnabled) next.KmsMasterKeyId = undefined;
    } else if (name === 'FifoQueue' && checks.creating && (value === 'true') === checks.fifo) {
      next.FifoQueue = checks.fifo;
    } else if (FIFO_ONLY.includes(name) && checks.fifo && name !== 'FifoQueue') {
      applyFifoAttribute(next, name, value);
    } else if (FIFO_ONLY.includes(name)) {
      throw sqsError(
        'InvalidAttributeName',
        `Unknown Attribute ${name}. (local cloud: ${name === 'FifoQueue' ? 'A queue is FIFO when created with FifoQueue=true and a .fifo name; its type cannot change.' : `${name} belongs to FIFO queues.`})`,
      );
    } else {
      throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return next;
}

function applyFifoAttribute(next: QueueConfig, name: string, value: string): void {
  const allowed: Record<string, readonly string[]> = {
    ContentBasedDeduplication: ['true', 'false'],
    DeduplicationScope: ['queue', 'messageGroup'],
    FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
  };
  if (!allowed[name]!.includes(value)) {
    throw sqsError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}. (local cloud: received '${value}'; it must be one of ${allowed[name]!.join(', ')}.)`,
    );
  }
  if (name === 'ContentBasedDeduplication') next.ContentBasedDeduplication = value === 'true';
  if (name === 'DeduplicationScope') next.DeduplicationScope = value as 'queue' | 'messageGroup';
  if (name === 'FifoThroughputLimit') {
    next.FifoThroughputLimit = value as 'perQueue' | 'perMessageGroupId';
  }
}

/** The settable attributes as GetQueueAttributes answers them. */
export function describeConfig(c: QueueConfig): Record<string, string> {
  const out: Record<string, string> = {
    DelaySeconds: String(c.DelaySeconds),
    MaximumMessageSize: String(c.MaximumMessageSize),
    MessageRetentionPeriod: String(c.MessageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(c.ReceiveMessageWaitTimeSeconds),
    VisibilityTimeout: String(c.VisibilityTimeout),
    SqsManagedSseEnabled: String(c.SqsManagedSseEnabled),
  };
  if (c.FifoQueue) {
    out['FifoQueue'] = 'true';
    out['ContentBasedDeduplication'] = String(c.ContentBasedDeduplication);
    out['DeduplicationScope'] = c.DeduplicationScope;
    out['FifoThroughputLimit'] = c.FifoThroughputLimit;
  }
  if (c.RedrivePolicy) out['RedrivePolicy'] = JSON.stringify(c.RedrivePolicy);
  if (c.RedriveAllowPolicy) out['RedriveAllowPolicy'] = JSON.stringify(c.RedriveAllowPolicy);
  if (c.Policy) out['Policy'] = c.Policy;
  if (c.KmsMasterKeyId) {
    out['KmsMasterKeyId'] = c.KmsMasterKeyId;
    out['KmsDataKeyReusePeriodSeconds'] = String(c.KmsDataKeyReusePeriodSeconds ?? 300);
  }
  return out;
}

function parseRedrivePolicy(value: string, checks: RedriveChecks): RedrivePolicy {
  const o = parseJsonObject('RedrivePolicy', value);
  const bad = (reason: string) => invalidValue('RedrivePolicy', value, reason);
  const extra = Object.keys(o).filter(
    (k) => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount',
  );
  if (extra.length) {
    throw bad('Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].');
  }
  const arn = o['deadLetterTargetArn'];
  if (typeof arn !== 'string' || !arn.startsWith('arn:aws:sqs:')) {
    throw bad('Invalid value for deadLetterTargetArn. (local cloud: it must be an SQS queue ARN.)');
  }
  const max = Number(o['maxReceiveCount']);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw bad(
      `Invalid value for maxReceiveCount: ${String(o['maxReceiveCount'])}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  const allow = checks.allowPolicyOf(arn);
  if (allow === null) throw bad('Dead letter target does not exist.');
  // FIFO queues are named `*.fifo`, so the ARN tells the type.
  if (arn.endsWith('.fifo') !== checks.fifo) {
    throw bad('Dead-letter queue must be same type of queue as the source.');
  }
  if (
    allow?.redrivePermission === 'denyAll' ||
    (allow?.redrivePermission === 'byQueue' && !allow.sourceQueueArns?.includes(checks.queueArn))
  ) {
    throw bad(
      `Queue ${checks.queueArn} is not allowed to be a source queue by the dead-letter queue's RedriveAllowPolicy.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: max };
}

function parseAllowPolicy(value: string): RedriveAllowPolicy {
  const o = parseJsonObject('RedriveAllowPolicy', value);
  const permission = o['redrivePermission'];
  const sources = o['sourceQueueArns'];
  const bad = (reason: string) => invalidValue('RedriveAllowPolicy', value, reason);
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw bad('redrivePermission must be one of allowAll, denyAll, byQueue.');
  }
  if (permission === 'byQueue') {
    if (!Array.isArray(sources) || sources.length < 1 || sources.length > 10) {
      throw bad('With redrivePermission byQueue, sourceQueueArns must list 1 to 10 queue ARNs.');
    }
    return { redrivePermission: permission, sourceQueueArns: sources.map(String) };
  }
  if (sources !== undefined) {
    throw bad('sourceQueueArns is only allowed when redrivePermission is byQueue.');
  }
  return { redrivePermission: permission };
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  try {
    const o: unknown = JSON.parse(value);
    if (typeof o === 'object' && o !== null && !Array.isArray(o))
      return o as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw invalidValue(name, value, 'The value must be a JSON object.');
}
