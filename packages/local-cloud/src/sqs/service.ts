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
import {
  applyAttributes,
  DEFAULT_CONFIG,
  describeConfig,
  READ_ONLY,
  SETTABLE,
  type RedriveAllowPolicy,
} from './attributes.js';
import { entryCode, invalidValue, missing, noSuchQueue, sqsError } from './errors.js';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.js';
import {
  md5OfSystemAttributes,
  parseContent,
  rawEntrySize,
  type SendContext,
  type MessageContent,
  type StoredMessage,
} from './message.js';
import { MoveTask } from './move-tasks.js';
import { Queue, type Delivery, type SendOutcome } from './queue.js';
import { Redeliveries } from './redelivery.js';

type Input = Record<string, unknown>;

/** What the edge passes of the HTTP request. */
export interface SqsRequest {
  headers?: Record<string, string | string[] | undefined>;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const QUEUE_NAME_ANY = /^[A-Za-z0-9_-]{1,75}(\.fifo)?$|^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** SQS refuses to re-create a queue name this soon after deleting it. */
const RECREATE_AFTER_MS = 60_000;
const PURGE_EVERY_MS = 60_000;
/** A batch's bodies and attributes together, whatever the queue's MaximumMessageSize. */
const MAX_BATCH_BYTES = 1_048_576;
const SENDER_ID = 'AIDALOCALCLOUDSENDER';
const MESSAGE_SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
];

export class SqsService implements JsonService, SqsSink {
  readonly targetPrefix = 'AmazonSQS';
  private readonly queues = new Map<string, Queue>();
  private readonly deletedAt = new Map<string, number>();
  private readonly tasks = new Map<string, MoveTask[]>();
  private readonly actions: Record<string, (input: Input, request: SqsRequest) => unknown> = {
    CreateQueue: (i) => this.createQueue(i),
    GetQueueUrl: (i) => this.getQueueUrl(i),
    ListQueues: (i) => this.listQueues(i),
    DeleteQueue: (i) => this.deleteQueue(i),
    GetQueueAttributes: (i) => this.getAttributes(i),
    SetQueueAttributes: (i) => this.setAttributes(i),
    SendMessage: (i, r) => this.send(i, sendContext(r)),
    SendMessageBatch: (i) => this.sendBatch(i),
    ReceiveMessage: (i) => this.receive(i),
    DeleteMessage: (i) => this.deleteMessage(i),
    DeleteMessageBatch: (i) => this.deleteBatch(i),
    ChangeMessageVisibility: (i) => this.changeVisibility(i),
    ChangeMessageVisibilityBatch: (i) => this.changeVisibilityBatch(i),
    PurgeQueue: (i) => this.purge(i),
    StartMessageMoveTask: (i) => this.startMoveTask(i),
    ListMessageMoveTasks: (i) => this.listMoveTasks(i),
    CancelMessageMoveTask: (i) => this.cancelMoveTask(i),
    ListDeadLetterSourceQueues: (i) => this.listDeadLetterSources(i),
    TagQueue: (i) => this.tagQueue(i),
    UntagQueue: (i) => this.untagQueue(i),
    ListQueueTags: (i) => ({ Tags: nonEmpty(this.queueOf(i).tags) }),
    AddPermission: () => this.unsupported('AddPermission'),
    RemovePermission: () => this.unsupported('RemovePermission'),
  };

  private readonly redeliveries: Redeliveries | undefined;

  constructor(
    private readonly ctx: Pick<CloudContext, 'accountId' | 'region' | 'endpoint'>,
    private readonly faults?: FaultInjector,
  ) {
    this.redeliveries = faults && new Redeliveries(faults, (q) => this.queues.get(q.name) === q);
  }

  hasAction(action: string): boolean {
    return Object.hasOwn(this.actions, action);
  }

  async handle(action: string, input: Input, request: SqsRequest = {}): Promise<unknown> {
    const fn = this.hasAction(action) ? this.actions[action] : undefined;
    if (!fn) {
      throw sqsError(
        'InvalidAction',
        `The action ${action} is not valid for this endpoint. (The local cloud's SQS knows: ${Object.keys(this.actions).join(', ')}.)`,
      );
    }
    return fn(input, request);
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
      throw sqsError('QueueDoesNotExist', `The specified queue does not exist: ${queueArn}.`);
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
    const m = /^arn:aws:sqs:([^:]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/.exec(arn);
    if (!m || m[2] !== this.ctx.accountId || m[1] !== this.ctx.region) return undefined;
    return this.queues.get(m[3]!);
  }

  queueUrlFromArn(arn: string): string {
    const q = this.queueByArn(arn);
    if (!q) throw sqsError('QueueDoesNotExist', `The specified queue does not exist: ${arn}.`);
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

  // ---- queues ----

  private createQueue(i: Input): unknown {
    const name = requireString(i, 'QueueName');
    const attrs = (i['Attributes'] ?? {}) as Input;
    const fifo = String(attrs['FifoQueue']) === 'true';
    if (fifo && !FIFO_QUEUE_NAME.test(name)) {
      throw invalidValue(
        'QueueName',
        name,
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    if (!fifo && !QUEUE_NAME.test(name)) {
      throw invalidValue(
        'QueueName',
        name,
        `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.${name.endsWith('.fifo') ? ' (A .fifo name needs the attribute FifoQueue=true.)' : ''}`,
      );
    }
    const existing = this.queues.get(name);
    if (existing) {
      const asked = describeConfig(
        applyAttributes(existing.config, attrs, this.redriveChecks(existing.arn, fifo, true)),
      );
      const now = describeConfig(existing.config);
      const differs = Object.keys(attrs).find((k) => asked[k] !== now[k]);
      if (differs) {
        throw sqsError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute ${differs}.`,
        );
      }
      return { QueueUrl: existing.url };
    }
    const deleted = this.deletedAt.get(name);
    if (deleted !== undefined && Date.now() - deleted < RECREATE_AFTER_MS) {
      throw sqsError(
        'QueueDeletedRecently',
        `You must wait 60 seconds after deleting a queue before you can create another with the same name. (${name} was deleted ${Math.round((Date.now() - deleted) / 1000)} s ago.)`,
      );
    }
    const arn = `arn:aws:sqs:${this.ctx.region}:${this.ctx.accountId}:${name}`;
    const config = applyAttributes(
      { ...DEFAULT_CONFIG, FifoQueue: fifo },
      attrs,
      this.redriveChecks(arn, fifo, true),
    );
    const url = `${this.ctx.endpoint}/${this.ctx.accountId}/${name}`;
    const queue = new Queue(name, arn, url, config, this);
    queue.tags = { ...stringMap(i['tags'] ?? i['Tags']) };
    this.queues.set(name, queue);
    return { QueueUrl: url };
  }

  private getQueueUrl(i: Input): unknown {
    const name = requireString(i, 'QueueName');
    const owner = i['QueueOwnerAWSAccountId'];
    const q = this.queues.get(name);
    if (!q || (owner !== undefined && owner !== this.ctx.accountId)) throw noSuchQueue();
    return { QueueUrl: q.url };
  }

  private listQueues(i: Input): unknown {
    const prefix = typeof i['QueueNamePrefix'] === 'string' ? i['QueueNamePrefix'] : '';
    const max = optionalInt(i, 'MaxResults', 1, 1000);
    let names = [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
    const token = i['NextToken'];
    if (typeof token === 'string' && token !== '') {
      const after = Buffer.from(token, 'base64').toString('utf8');
      names = names.filter((n) => n > after);
    }
    const page = names.slice(0, max ?? 1000);
    const more = max !== undefined && names.length > page.length;
    return {
      QueueUrls: page.length ? page.map((n) => this.queues.get(n)!.url) : undefined,
      NextToken: more ? Buffer.from(page.at(-1)!).toString('base64') : undefined,
    };
  }

  private deleteQueue(i: Input): unknown {
    const q = this.queueOf(i);
    q.close();
    this.queues.delete(q.name);
    this.deletedAt.set(q.name, Date.now());
    for (const t of this.tasks.get(q.arn) ?? []) t.stop();
    this.tasks.delete(q.arn);
    return {};
  }

  private getAttributes(i: Input): unknown {
    const q = this.queueOf(i);
    const names = stringList(i['AttributeNames']);
    const attrs = this.attributesOf(q, names);
    return { Attributes: nonEmpty(attrs) };
  }

  private attributesOf(q: Queue, names: string[]): Record<string, string> {
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
    const known = new Set([...READ_ONLY, ...SETTABLE, 'KmsDataKeyReusePeriodSeconds']);
    const out: Record<string, string> = {};
    for (const n of names) {
      if (!known.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
      if (all[n] !== undefined) out[n] = all[n];
    }
    return out;
  }

  private setAttributes(i: Input): unknown {
    const q = this.queueOf(i);
    const attrs = i['Attributes'];
    if (attrs === undefined) throw missing('Attributes');
    const readOnly = Object.keys(attrs as Input).find((k) => READ_ONLY.includes(k));
    if (readOnly) throw sqsError('InvalidAttributeName', `Unknown Attribute ${readOnly}.`);
    q.config = applyAttributes(q.config, attrs as Input, this.redriveChecks(q.arn, q.fifo));
    q.lastModifiedAt = Math.floor(Date.now() / 1000);
    return {};
  }

  private redriveChecks(queueArn: string, fifo: boolean, creating = false) {
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

  private purge(i: Input): unknown {
    const q = this.queueOf(i);
    if (Date.now() - q.lastPurgeAt < PURGE_EVERY_MS) {
      throw sqsError(
        'PurgeQueueInProgress',
        `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`,
      );
    }
    q.purge();
    return {};
  }

  private tagQueue(i: Input): unknown {
    const q = this.queueOf(i);
    Object.assign(q.tags, stringMap(i['Tags']));
    return {};
  }

  private untagQueue(i: Input): unknown {
    const q = this.queueOf(i);
    for (const k of stringList(i['TagKeys'])) delete q.tags[k];
    return {};
  }

  private listDeadLetterSources(i: Input): unknown {
    const q = this.queueOf(i);
    const urls = [...this.queues.values()]
      .filter((s) => s.config.RedrivePolicy?.deadLetterTargetArn === q.arn)
      .map((s) => s.url)
      .sort();
    return { queueUrls: urls };
  }

  private unsupported(action: string): never {
    throw sqsError(
      'UnsupportedOperation',
      `${action} is not emulated by the local cloud; permissions are never checked locally, so set the Policy attribute with SetQueueAttributes if you need it stored.`,
    );
  }

  // ---- messages ----

  private send(i: Input, context: SendContext): unknown {
    const q = this.queueOf(i);
    const content = parseContent(i, q.config.MaximumMessageSize, context, q.fifo);
    return sendResult(q.send(content), content);
  }

  /**
   * The whole batch may carry 1 MiB whatever the queue's MaximumMessageSize;
   * each entry is held to MaximumMessageSize on its own and fails alone.
   */
  private sendBatch(i: Input): unknown {
    const q = this.queueOf(i);
    const entries = batchEntries(i);
    const total = entries.reduce((sum, e) => sum + rawEntrySize(e), 0);
    if (total > MAX_BATCH_BYTES) {
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
      );
    }
    return perEntry(entries, (e) => {
      const content = parseContent(e, q.config.MaximumMessageSize, {}, q.fifo);
      return { Id: e['Id'], ...sendResult(q.send(content), content) };
    });
  }

  private async receive(i: Input): Promise<unknown> {
    const q = this.queueOf(i);
    const max = optionalInt(
      i,
      'MaxNumberOfMessages',
      1,
      10,
      'Must be between 1 and 10, if provided.',
    );
    const wait = optionalInt(i, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.');
    const visibility = optionalInt(
      i,
      'VisibilityTimeout',
      0,
      43_200,
      'Must be >= 0 and <= 43200, if provided.',
    );
    const deliveries = await q.receive({
      max: max ?? 1,
      visibilityTimeout: visibility,
      waitSeconds: wait ?? q.config.ReceiveMessageWaitTimeSeconds,
    });
    const systemNames = [
      ...stringList(i['AttributeNames']),
      ...stringList(i['MessageSystemAttributeNames']),
    ];
    const attributeNames = stringList(i['MessageAttributeNames']);
    const messages = deliveries.map((d) => toMessage(d, systemNames, attributeNames));
    return { Messages: messages.length ? messages : undefined };
  }

  private deleteMessage(i: Input): unknown {
    const q = this.queueOf(i);
    this.afterDelete(q, q.delete(requireString(i, 'ReceiptHandle')));
    return {};
  }

  private deleteBatch(i: Input): unknown {
    const q = this.queueOf(i);
    return perEntry(batchEntries(i), (e) => {
      this.afterDelete(q, q.delete(requireString(e, 'ReceiptHandle')));
      return { Id: e['Id'] };
    });
  }

  /** Fault injection (local/faults): a deleted message may be delivered again (at-least-once). */
  private afterDelete(q: Queue, deleted: StoredMessage | undefined): void {
    // FIFO queues deliver exactly once: no duplicates to inject.
    if (deleted && !q.fifo && this.faults?.enabled()) this.redeliveries?.deleted(q, deleted);
  }

  private changeVisibility(i: Input): unknown {
    const q = this.queueOf(i);
    const seconds = requireVisibility(i);
    q.changeVisibility(requireString(i, 'ReceiptHandle'), seconds);
    return {};
  }

  private changeVisibilityBatch(i: Input): unknown {
    const q = this.queueOf(i);
    return perEntry(batchEntries(i), (e) => {
      q.changeVisibility(requireString(e, 'ReceiptHandle'), requireVisibility(e));
      return { Id: e['Id'] };
    });
  }

  // ---- dead-letter queue redrive ----

  private startMoveTask(i: Input): unknown {
    const sourceArn = requireString(i, 'SourceArn');
    const source = this.queueByArn(sourceArn);
    if (!source) {
      throw sqsError(
        'ResourceNotFoundException',
        `The resource that you specified for the SourceArn parameter doesn't exist. (${sourceArn})`,
      );
    }
    const isDlq = [...this.queues.values()].some(
      (q) => q.config.RedrivePolicy?.deadLetterTargetArn === sourceArn,
    );
    if (!isDlq) {
      throw invalidValue(
        'SourceArn',
        sourceArn,
        'Source queue must be configured as a Dead Letter Queue. (No queue names it in its RedrivePolicy.)',
      );
    }
    const destinationArn =
      typeof i['DestinationArn'] === 'string' ? i['DestinationArn'] : undefined;
    if (destinationArn !== undefined && !this.queueByArn(destinationArn)) {
      throw sqsError(
        'ResourceNotFoundException',
        `The resource that you specified for the DestinationArn parameter doesn't exist. (${destinationArn})`,
      );
    }
    const rate = optionalInt(
      i,
      'MaxNumberOfMessagesPerSecond',
      1,
      500,
      'Must be between 1 and 500.',
    );
    const list = this.tasks.get(sourceArn) ?? [];
    if (list.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
      throw sqsError(
        'InvalidParameterValue',
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const task = new MoveTask(source, this, destinationArn, rate);
    list.unshift(task);
    this.tasks.set(sourceArn, list.slice(0, 10));
    return { TaskHandle: task.handle };
  }

  private listMoveTasks(i: Input): unknown {
    const sourceArn = requireString(i, 'SourceArn');
    if (!this.queueByArn(sourceArn)) {
      throw sqsError(
        'ResourceNotFoundException',
        `The resource that you specified for the SourceArn parameter doesn't exist. (${sourceArn})`,
      );
    }
    const max = optionalInt(i, 'MaxResults', 1, 10, 'Must be between 1 and 10.') ?? 1;
    return { Results: (this.tasks.get(sourceArn) ?? []).slice(0, max).map((t) => t.describe()) };
  }

  private cancelMoveTask(i: Input): unknown {
    const handle = requireString(i, 'TaskHandle');
    let parsed: { taskId?: unknown; sourceArn?: unknown } = {};
    try {
      parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as typeof parsed;
    } catch {
      throw invalidValue('TaskHandle', handle, 'The task handle is not valid.');
    }
    const task = (this.tasks.get(String(parsed.sourceArn)) ?? []).find(
      (t) => t.taskId === parsed.taskId,
    );
    if (!task) throw sqsError('ResourceNotFoundException', 'Task does not exist.');
    if (task.status !== 'RUNNING') {
      throw sqsError(
        'UnsupportedOperation',
        `Only active tasks can be cancelled. (This task is ${task.status}.)`,
      );
    }
    task.cancel();
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  // ---- lookup ----

  private queueOf(i: Input): Queue {
    return this.queueByUrl(requireString(i, 'QueueUrl'));
  }

  /**
   * Any URL ending in /<account>/<name> names the queue, whatever its host
   * (localhost, 127.0.0.1, AWS). So does a bare queue name: SQS accepts one
   * as QueueUrl for the caller's own queue of that name, undocumented but real.
   */
  private queueByUrl(url: string): Queue {
    const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
    const bare = QUEUE_NAME_ANY.test(path) ? this.queues.get(path) : undefined;
    const m = /^\/?(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(path);
    const q = bare ?? (m && m[1] === this.ctx.accountId ? this.queues.get(m[2]!) : undefined);
    if (!q) throw noSuchQueue();
    return q;
  }
}

function sendResult(sent: SendOutcome, c: MessageContent): Record<string, unknown> {
  return {
    MessageId: sent.id,
    SequenceNumber: sent.sequenceNumber,
    MD5OfMessageBody: md5Hex(c.body),
    MD5OfMessageAttributes: md5OfAttributes(c.attributes),
    MD5OfMessageSystemAttributes: md5OfSystemAttributes(c.traceHeader),
  };
}

function toMessage(d: Delivery, systemNames: string[], attributeNames: string[]): Input {
  const m = d.message;
  const system: Record<string, string | undefined> = {
    SenderId: SENDER_ID,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(d.receiveCount),
    ApproximateFirstReceiveTimestamp: String(d.firstReceiveAt),
    AWSTraceHeader: m.traceHeader,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
    MessageGroupId: m.messageGroupId,
    MessageDeduplicationId: m.deduplicationId,
    SequenceNumber: m.sequenceNumber,
  };
  const all = systemNames.includes('All');
  const attributes: Record<string, string> = {};
  for (const name of MESSAGE_SYSTEM_ATTRIBUTES) {
    const v = system[name];
    if (v !== undefined && (all || systemNames.includes(name))) attributes[name] = v;
  }
  const picked: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(m.attributes)) {
    if (attributeNames.some((p) => attributeMatches(p, name))) picked[name] = v;
  }
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(picked)) {
    messageAttributes[name] = {
      DataType: v.DataType,
      StringValue: v.StringValue,
      BinaryValue: v.BinaryValue?.toString('base64'),
    };
  }
  return {
    MessageId: m.id,
    ReceiptHandle: d.receipt,
    MD5OfBody: m.md5Body,
    Body: m.body,
    Attributes: nonEmpty(attributes),
    MD5OfMessageAttributes: md5OfAttributes(picked),
    MessageAttributes: nonEmpty(messageAttributes),
  };
}

/** `All`, `.*` and `*` mean every attribute; `Hel.*` every name starting `Hel` (`Hello`, `Help.Me`). */
function attributeMatches(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*' || pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -2));
  return pattern === name;
}

function sendContext(r: SqsRequest): SendContext {
  const h = r.headers?.['x-amzn-trace-id'];
  const trace = Array.isArray(h) ? h[0] : h;
  return trace ? { traceHeader: trace } : {};
}

/** Validates a batch request's entries as SQS does before looking at any of them. */
function batchEntries(i: Input): Input[] {
  const entries = i['Entries'];
  if (!Array.isArray(entries) || entries.length === 0) {
    throw sqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  }
  if (entries.length > 10) {
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const e of entries as Input[]) {
    const id = e['Id'];
    if (typeof id !== 'string' || !BATCH_ID.test(id)) {
      throw sqsError(
        'InvalidBatchEntryId',
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Received: ${String(id)}.`,
      );
    }
    if (seen.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries as Input[];
}

function perEntry(entries: Input[], fn: (e: Input) => Input): unknown {
  const Successful: Input[] = [];
  const Failed: Input[] = [];
  for (const e of entries) {
    try {
      Successful.push(fn(e));
    } catch (err) {
      Failed.push({
        Id: e['Id'],
        SenderFault: true,
        Code: entryCode(err),
        Message: (err as Error).message,
      });
    }
  }
  return { Successful, Failed };
}

function requireString(i: Input, name: string): string {
  const v = i[name];
  if (v === undefined || v === null || v === '') throw missing(name);
  if (typeof v !== 'string')
    throw invalidValue(name, JSON.stringify(v), `${name} must be a string.`);
  return v;
}

function requireVisibility(i: Input): number {
  if (i['VisibilityTimeout'] === undefined) throw missing('VisibilityTimeout');
  return optionalInt(i, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200.')!;
}

function optionalInt(
  i: Input,
  name: string,
  min: number,
  max: number,
  reason = `Must be between ${min} and ${max}.`,
): number | undefined {
  const v = i[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidValue(name, v, reason);
  return n;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length ? o : undefined;
}
