/**
 * SQS, standard queues, for the JSON protocol (`AmazonSQS.*`) and, through
 * `query.ts`, the query protocol.
 *
 * Why not npm `local-aws-sqs` (evaluated, v2.0.2): its handler owns the raw
 * request and response, so it cannot sit behind one edge that parses once,
 * counts calls and serialises errors per protocol; it has no in-process API
 * to send by queue ARN (what EventBridge targets need); ReceiveMessage ignores
 * `MessageSystemAttributeNames` (what current SDKs send); long polls are a
 * 10 ms polling loop per waiting receiver instead of waking on send; and the
 * redrive policy moves a message when its visibility times out rather than on
 * the receive that exceeds maxReceiveCount, as SQS does. It ships minified,
 * so fixing it in place was not an option.
 */
import type { CloudContext, JsonService, SqsSink } from '../core/types.js';
import type { FaultInjector } from '../faults/plan.js';
import type { SqsHost, SqsRequest } from './actions/action.js';
import { SQS_ACTIONS } from './actions/index.js';
import {
  describeConfig,
  READ_ONLY,
  SETTABLE,
  type RedriveAllowPolicy,
  type RedriveChecks,
} from './attributes.js';
import { noSuchQueue, sqsError } from './errors.js';
import { parseInput } from './input.js';
import type { AttributeValue } from './md5.js';
import { parseContent, type StoredMessage } from './message.js';
import type { MoveTask } from './move-tasks.js';
import type { Queue } from './queue.js';
import { Redeliveries } from './redelivery.js';

export type { SqsRequest } from './actions/action.js';

/** A queue name, standard or FIFO; also what SQS accepts as a bare QueueUrl. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$|^[A-Za-z0-9_-]{1,80}$/;
const QUEUE_ARN = /^arn:aws:sqs:([^:]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/;
const QUEUE_PATH = /^\/?(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/;

/**
 * The SQS service: its queues and move tasks, the lookups every action uses,
 * and the in-process API the rest of the local cloud calls. The actions
 * themselves are in `actions/`, one file each.
 */
export class SqsService implements JsonService, SqsSink, SqsHost {
  readonly targetPrefix = 'AmazonSQS';
  readonly queues = new Map<string, Queue>();
  readonly deletedAt = new Map<string, number>();
  readonly tasks = new Map<string, MoveTask[]>();
  private readonly redeliveries: Redeliveries | undefined;

  constructor(
    readonly ctx: Pick<CloudContext, 'accountId' | 'region' | 'endpoint'>,
    private readonly faults?: FaultInjector,
  ) {
    this.redeliveries = faults && new Redeliveries(faults, (q) => this.queues.get(q.name) === q);
  }

  hasAction(action: string): boolean {
    return Object.hasOwn(SQS_ACTIONS, action);
  }

  async handle(
    action: string,
    input: Record<string, unknown>,
    request: SqsRequest = {},
  ): Promise<unknown> {
    const run = this.hasAction(action) ? SQS_ACTIONS[action] : undefined;
    if (!run) {
      throw sqsError(
        'InvalidAction',
        `The action ${action} is not valid for this endpoint. (local cloud: its SQS knows ${Object.keys(SQS_ACTIONS).join(', ')}.)`,
      );
    }
    return run.run(this, parseInput(run.input, input), request);
  }

  // ---- in-process API (EventBridge targets, Lambda event sources) ----

  /** SqsSink: delivers a message as an EventBridge target does; string attributes only. */
  async sendMessage(
    queueArn: string,
    body: string,
    attributes?: Record<string, string>,
    fifo?: { messageGroupId?: string; messageDeduplicationId?: string },
  ): Promise<void> {
    const queue = this.queueByArn(queueArn);
    if (!queue) {
      throw sqsError(
        'QueueDoesNotExist',
        `The specified queue does not exist. (local cloud: ${queueArn})`,
      );
    }
    const attrs: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(attributes ?? {})) {
      if (v !== '') attrs[k] = { DataType: 'String', StringValue: v };
    }
    const content = parseContent(
      {
        MessageBody: body,
        MessageAttributes: attrs,
        ...(queue.fifo && {
          MessageGroupId: fifo?.messageGroupId,
          MessageDeduplicationId: fifo?.messageDeduplicationId,
        }),
      },
      queue.config.MaximumMessageSize,
      {},
      queue.fifo,
    );
    queue.send(content);
  }

  queueByArn(arn: string): Queue | undefined {
    const m = QUEUE_ARN.exec(arn);
    if (!m || m[2] !== this.ctx.accountId || m[1] !== this.ctx.region) return undefined;
    return this.queues.get(m[3]!);
  }

  /**
   * Any URL ending in /<account>/<name> names the queue, whatever its host
   * (localhost, 127.0.0.1, AWS). So does a bare queue name: SQS accepts one
   * as QueueUrl for the caller's own queue of that name, undocumented but real.
   */
  queueByUrl(url: string): Queue {
    const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
    const bare = QUEUE_NAME.test(path) ? this.queues.get(path) : undefined;
    const m = QUEUE_PATH.exec(path);
    const q = bare ?? (m && m[1] === this.ctx.accountId ? this.queues.get(m[2]!) : undefined);
    if (!q) throw noSuchQueue();
    return q;
  }

  queueUrlFromArn(arn: string): string {
    const q = this.queueByArn(arn);
    if (!q)
      throw sqsError(
        'QueueDoesNotExist',
        `The specified queue does not exist. (local cloud: ${arn})`,
      );
    return q.url;
  }

  queueArnFromUrl(url: string): string {
    return this.queueByUrl(url).arn;
  }

  /** GetQueueAttributes for a queue given by ARN or URL; all attributes unless names are given. */
  getQueueAttributes(queueArnOrUrl: string, names: string[] = ['All']): Record<string, string> {
    const q = queueArnOrUrl.startsWith('arn:')
      ? this.queueByArn(queueArnOrUrl)
      : this.queueByUrl(queueArnOrUrl);
    if (!q) throw noSuchQueue();
    return this.attributesOf(q, names);
  }

  /** The ARNs of all queues, sorted by name. */
  listQueueArns(): string[] {
    return [...this.queues.values()].sort((a, b) => a.name.localeCompare(b.name)).map((q) => q.arn);
  }

  /** Ends long polls and move tasks so the process can exit. */
  stop(): void {
    this.redeliveries?.stop();
    for (const q of this.queues.values()) q.close();
    for (const list of this.tasks.values()) for (const t of list) t.stop();
  }

  // ---- what actions share ----

  attributesOf(q: Queue, names: string[]): Record<string, string> {
    const counts = q.counts();
    const all: Record<string, string> = {
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(q.createdAt),
      LastModifiedTimestamp: String(q.lastModifiedAt),
      ...describeConfig(q.config),
    };
    if (names.includes('All')) return all;
    const known = new Set([
      ...READ_ONLY,
      ...SETTABLE,
      'KmsDataKeyReusePeriodSeconds',
      'FifoQueue',
      'ContentBasedDeduplication',
      'DeduplicationScope',
      'FifoThroughputLimit',
    ]);
    const out: Record<string, string> = {};
    for (const n of names) {
      if (!known.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
      if (all[n] !== undefined) out[n] = all[n];
    }
    return out;
  }

  redriveChecks(queueArn: string, fifo: boolean, creating = false): RedriveChecks {
    return {
      queueArn,
      fifo,
      creating,
      allowPolicyOf: (dlqArn: string): RedriveAllowPolicy | undefined | null => {
        const dlq = this.queueByArn(dlqArn);
        return dlq ? dlq.config.RedriveAllowPolicy : null;
      },
    };
  }

  /** Fault injection (local/faults): a deleted message may be delivered again (at-least-once). */
  afterDelete(q: Queue, deleted: StoredMessage | undefined): void {
    // FIFO queues deliver exactly once: no duplicates to inject.
    if (deleted && !q.fifo && this.faults?.enabled()) this.redeliveries?.deleted(q, deleted);
  }
}
