/**
 * An SQS event-source mapping, polling the queue like Lambda's pollers do (in
 * process, or on the edge through the SDK: poller-sqs.ts): long polls,
 * batches of `BatchSize` gathered for at most the
 * batching window, at most `MaximumConcurrency` invocations at once. Successes
 * are deleted; failures stay and come back after their visibility timeout.
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { setMaxListeners } from 'node:events';
import { ThrottledError } from '../lambda/function.js';
import type { RecordFilter } from './filter.js';
import type { PollerSqs } from './poller-sqs.js';
import {
  readBatchResponse,
  sleep,
  type MappingConfig,
  type MappingTarget,
  type Poller,
} from './types.js';
import { failedInGroupOrder, isFifoQueueArn } from './fifo.js';

export interface SqsPollerDeps {
  /** The cloud's SQS in process when the app runs in the cloud's process, else the edge through the SDK. */
  readonly sqs: PollerSqs;
  readonly region: string;
  readonly filter: RecordFilter;
  readonly log: (line: string) => void;
  /** Concurrent batches when the mapping sets no MaximumConcurrency (default 5, where Lambda starts). */
  readonly defaultConcurrency?: number;
  /** Told when a whole batch fails (error, timeout, throttle, unreadable answer): the console's "why". */
  readonly onBatchFailed?: (failure: BatchFailure) => void;
}

/** Messages that will come back (and may be dead-lettered) because their batch failed. */
export interface BatchFailure {
  readonly messageIds: readonly string[];
  readonly functionLabel: string;
  readonly reason: string;
}

/** The record of an SQS event, as Lambda delivers it. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** SQS's `{StringValue, DataType}` -> the event's `{stringValue, dataType, stringListValues, ...}`. */
function messageAttributes(attrs: Record<string, MessageAttributeValue> | undefined) {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attrs ?? {})) {
    out[name] = {
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') }
        : {}),
      stringListValues: a.StringListValues ?? [],
      binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: a.DataType,
    };
  }
  return out;
}

export function toSqsRecord(m: Message, queueArn: string, region: string): SqsEventRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: { ...(m.Attributes ?? {}) } as Record<string, string>,
    messageAttributes: messageAttributes(m.MessageAttributes),
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Filters see the body as JSON when it is JSON, as Lambda's filtering does. */
function filterView(r: SqsEventRecord): Record<string, unknown> {
  try {
    return { ...r, body: JSON.parse(r.body) as unknown };
  } catch {
    return { ...r };
  }
}

export class SqsPoller implements Poller {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private queueUrl: string | undefined;

  constructor(
    private readonly mapping: MappingConfig,
    private readonly target: MappingTarget,
    private readonly deps: SqsPollerDeps,
  ) {}

  get concurrency(): number {
    return this.mapping.maximumConcurrency ?? this.deps.defaultConcurrency ?? 5;
  }

  start(): void {
    // One listener per concurrent long poll; more than Node's default warning threshold is expected.
    setMaxListeners(this.concurrency + 10, this.abort.signal);
    for (let i = 0; i < this.concurrency; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private async url(): Promise<string> {
    if (this.queueUrl) return this.queueUrl;
    const [, , , , account, name] = this.mapping.eventSourceArn.split(':');
    this.queueUrl = await this.deps.sqs.queueUrl(name!, account!);
    return this.queueUrl;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const messages = await this.collect();
        if (messages.length > 0) await this.process(messages);
      } catch (e) {
        if (signal.aborted) return;
        this.deps.log(
          `${this.mapping.logicalId}: polling ${this.mapping.eventSourceArn} failed: ${(e as Error).message}`,
        );
        await sleep(1000, signal);
      }
    }
  }

  /** One batch: the first long poll waits for a message, then the window fills the batch. */
  private async collect(): Promise<Message[]> {
    const signal = this.abort.signal;
    const queueUrl = await this.url();
    const batchSize = this.mapping.batchSize ?? 10;
    const windowMs = (this.mapping.maxBatchingWindowSeconds ?? 0) * 1000;
    const out: Message[] = [];
    let deadline: number | undefined;
    while (out.length < batchSize && !signal.aborted) {
      const remaining = deadline === undefined ? 20_000 : deadline - Date.now();
      if (remaining <= 0) break;
      const got = await this.deps.sqs.receive(
        {
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - out.length),
          WaitTimeSeconds: Math.min(20, Math.floor(remaining / 1000)),
        },
        signal,
      );
      out.push(...got);
      if (out.length === 0) return out; // the long poll ended empty: let the loop check for stop
      deadline ??= Date.now() + windowMs;
      if (got.length === 0) await sleep(Math.min(100, Math.max(0, deadline - Date.now())), signal);
    }
    return out;
  }

  private async process(messages: Message[]): Promise<void> {
    const arn = this.mapping.eventSourceArn;
    const records = messages.map((m) => toSqsRecord(m, arn, this.deps.region));
    const matching = records.filter((r) => this.deps.filter(filterView(r)));
    // Lambda deletes messages that no filter matches.
    const filteredOut = records.filter((r) => !matching.includes(r));
    if (filteredOut.length) await this.delete(filteredOut);
    if (matching.length === 0) return;

    let outcome;
    try {
      outcome = await this.target.invoke(
        { Records: matching },
        { wait: this.target.reservedConcurrency === undefined },
      );
    } catch (e) {
      if (this.abort.signal.aborted) return;
      if (e instanceof ThrottledError) {
        this.failed(matching, `throttled (${e.reason})`);
        this.deps.log(
          `${this.mapping.logicalId}: throttled; ${matching.length} message(s) return after their visibility timeout`,
        );
        return;
      }
      throw e;
    }
    if (this.abort.signal.aborted) return; // stopping: the workers were terminated under it
    if (!outcome.ok) {
      this.failed(matching, `${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      this.deps.log(
        `${this.mapping.logicalId}: ${this.target.label} failed (${outcome.error.errorType}: ${outcome.error.errorMessage}); ` +
          `${matching.length} message(s) return after their visibility timeout`,
      );
      return;
    }
    if (!this.mapping.reportBatchItemFailures) return this.delete(matching);
    const response = readBatchResponse(outcome.payload, new Set(matching.map((r) => r.messageId)));
    if (response.kind === 'invalid') {
      this.failed(matching, `the batch counts as failed: ${response.why}`);
      this.deps.log(`${this.mapping.logicalId}: the batch counts as failed: ${response.why}`);
      return;
    }
    const reported = new Set(response.kind === 'partial' ? response.failed : []);
    const failed = isFifoQueueArn(arn) ? failedInGroupOrder(matching, reported) : reported;
    await this.delete(matching.filter((r) => !failed.has(r.messageId)));
  }

  private failed(records: readonly SqsEventRecord[], reason: string): void {
    this.deps.onBatchFailed?.({
      messageIds: records.map((r) => r.messageId),
      functionLabel: this.target.label,
      reason,
    });
  }

  private async delete(records: SqsEventRecord[]): Promise<void> {
    const queueUrl = await this.url();
    for (let i = 0; i < records.length; i += 10) {
      const chunk = records.slice(i, i + 10);
      const failed = await this.deps.sqs.deleteBatch(
        queueUrl,
        chunk.map((r) => r.receiptHandle),
      );
      for (const f of failed)
        this.deps.log(
          `${this.mapping.logicalId}: could not delete a message: ${f.Code} ${f.Message ?? ''}`,
        );
    }
  }
}
