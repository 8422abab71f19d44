import { AwsError } from '../../src/core/errors.js';
import { MemoryRecorder } from '../../src/core/recorder.js';
import type { CloudContext, SqsSink } from '../../src/core/types.js';
import {
  createEventBridge,
  type EventBridgeOptions,
  type EventBridgeService,
} from '../../src/eventbridge/service.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;

export interface SentMessage {
  queueArn: string;
  body: string;
  attributes?: Record<string, string>;
}

/** An SqsSink that keeps what it receives; queues named in `missing` do not exist. */
export class FakeSqs implements SqsSink {
  readonly sent: SentMessage[] = [];
  readonly missing = new Set<string>();
  /** Fail this many sends with a retryable error first. */
  failNext = 0;

  async sendMessage(arn: string, body: string, attributes?: Record<string, string>): Promise<void> {
    if (this.missing.has(arn)) {
      throw new AwsError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
        400,
        'AWS.SimpleQueueService.NonExistentQueue',
      );
    }
    if (this.failNext > 0) {
      this.failNext--;
      throw new AwsError('InternalFailure', 'simulated SQS outage', 500);
    }
    this.sent.push({ queueArn: arn, body, ...(attributes && { attributes }) });
  }

  bodies(arn: string): unknown[] {
    return this.sent.filter((m) => m.queueArn === arn).map((m) => JSON.parse(m.body) as unknown);
  }
}

export interface Harness {
  eb: EventBridgeService;
  sqs: FakeSqs;
  recorder: MemoryRecorder;
  call<T = Record<string, unknown>>(action: string, input?: Record<string, unknown>): Promise<T>;
  /** The AwsError a call fails with (fails the test if it succeeds). */
  error(action: string, input?: Record<string, unknown>): Promise<AwsError>;
}

export function harness(options: EventBridgeOptions = {}): Harness {
  const recorder = new MemoryRecorder();
  const ctx: CloudContext = {
    accountId: ACCOUNT,
    region: REGION,
    endpoint: 'http://127.0.0.1:4566',
    recorder,
  };
  const sqs = new FakeSqs();
  const eb = createEventBridge(ctx, sqs, {
    retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  const call = async <T>(action: string, input: Record<string, unknown> = {}) =>
    (await eb.handle(action, input)) as T;
  return {
    eb,
    sqs,
    recorder,
    call,
    async error(action, input = {}) {
      try {
        await eb.handle(action, input);
      } catch (error) {
        if (error instanceof AwsError) return error;
        throw error;
      }
      throw new Error(`${action} succeeded; an AwsError was expected`);
    },
  };
}

/** A rule on `bus` matching `source`, with an SQS target. */
export async function ruleToQueue(
  h: Harness,
  opts: {
    rule: string;
    queue: string;
    source?: string;
    bus?: string;
    target?: Record<string, unknown>;
  },
): Promise<string> {
  const { RuleArn } = await h.call<{ RuleArn: string }>('PutRule', {
    Name: opts.rule,
    EventBusName: opts.bus,
    EventPattern: JSON.stringify({ source: [opts.source ?? 'shop.orders'] }),
  });
  await h.call('PutTargets', {
    Rule: opts.rule,
    EventBusName: opts.bus,
    Targets: [{ Id: 'q', Arn: queueArn(opts.queue), ...opts.target }],
  });
  return RuleArn;
}

export function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Source: 'shop.orders',
    DetailType: 'OrderPlaced',
    Detail: JSON.stringify({ orderId: 'o-1' }),
    ...overrides,
  };
}
