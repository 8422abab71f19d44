/**
 * A DynamoDB Streams event-source mapping: reads every shard of the stream on
 * the edge in order (DescribeStream, GetShardIterator, GetRecords), invokes the
 * function with batches, and on an error retries the same batch (halved when
 * `BisectBatchOnFunctionError`) up to `MaximumRetryAttempts`. A partial batch
 * response restarts from the first failed record. A shard is never read past a
 * batch that has not succeeded or been given up, so records stay in order.
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ThrottledError } from '../lambda/function.js';
import type { RecordFilter } from './filter.js';
import {
  readBatchResponse,
  sleep,
  type MappingConfig,
  type MappingTarget,
  type Poller,
} from './types.js';

export interface StreamPollerDeps {
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly filter: RecordFilter;
  readonly log: (line: string) => void;
  /** Pause between polls of a quiet stream (Lambda polls each shard four times a second). */
  readonly pollIntervalMs?: number;
  /** Pause before retrying a failed batch (default 500 ms). */
  readonly retryDelayMs?: number;
  /**
   * Subscribes to writes on the stream's table (returns the unsubscribe): a quiet stream is
   * read again at once after one instead of at its next poll.
   */
  readonly onTableWrite?: (listener: () => void) => () => void;
}

/** The record of a DynamoDB stream event, as Lambda delivers it. */
export interface StreamEventRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: Record<string, unknown>;
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

/** The SDK turns binary attributes into bytes and times into Dates; Lambda events carry base64 and seconds. */
function wire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== undefined && k !== '$unknown') out[k] = wire(v);
    return out;
  }
  return value;
}

export function toStreamRecord(
  r: StreamRecord,
  streamArn: string,
  region: string,
): StreamEventRecord {
  return {
    eventID: r.eventID!,
    eventName: r.eventName!,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region, // DynamoDB Local reports its own pseudo region
    dynamodb: wire(r.dynamodb ?? {}) as Record<string, unknown>,
    eventSourceARN: streamArn,
    ...(r.userIdentity
      ? { userIdentity: { type: r.userIdentity.Type!, principalId: r.userIdentity.PrincipalId! } }
      : {}),
  };
}

interface ShardState {
  readonly shardId: string;
  iterator: string | undefined;
  /** Records read but not yet done with, oldest first. */
  buffer: StreamEventRecord[];
  /** Failed attempts of the batch at the head of the buffer. */
  attempts: number;
  /** Batch size for the next attempt (halved by bisection). */
  size: number;
  windowStart: number | undefined;
  closed: boolean;
  /** Sequence number of the last record read, to resume after it. */
  lastRead?: string;
}

export class StreamPoller implements Poller {
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | undefined;
  private readonly shards = new Map<string, ShardState>();
  private readonly finished = new Set<string>();
  private firstDescribe = true;

  constructor(
    private readonly mapping: MappingConfig,
    private readonly target: MappingTarget,
    private readonly deps: StreamPollerDeps,
  ) {}

  private get batchSize() {
    return this.mapping.batchSize ?? 100;
  }

  /** Ends the idle wait early: set by a write to the table, cleared when the wait starts. */
  private woken = false;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  start(): void {
    this.unsubscribe = this.deps.onTableWrite?.(() => {
      this.woken = true;
      this.wake?.();
    });
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.abort.abort();
    this.wake?.();
    await this.loopDone;
  }

  /**
   * The pause of a quiet stream: its poll interval (or `atMostMs`, when a batching window ends
   * sooner), or until the table is written.
   */
  private async idle(signal: AbortSignal, atMostMs?: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    const interval = new AbortController();
    this.wake = () => interval.abort();
    const onAbort = () => interval.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const pollMs = this.deps.pollIntervalMs ?? 250;
      await sleep(Math.min(pollMs, atMostMs ?? pollMs), interval.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.wake = undefined;
      this.woken = false;
    }
  }

  /** Resolves once every shard known now has an iterator (LATEST is fixed at this point). */
  async ready(): Promise<void> {
    while (this.firstDescribe && !this.abort.signal.aborted) await sleep(20);
  }

  private log(line: string) {
    this.deps.log(`${this.mapping.logicalId}: ${line}`);
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let lastDescribe = 0;
    while (!signal.aborted) {
      try {
        if (Date.now() - lastDescribe > 5000 || this.shards.size === 0) {
          await this.discover();
          lastDescribe = Date.now();
        }
        // The shortest pause any shard allows: 0 goes straight on; none waits for a write
        // or the poll interval.
        let pause: number | undefined;
        for (const shard of this.shards.values()) {
          const next = await this.step(shard);
          if (next !== undefined) pause = Math.min(pause ?? next, next);
        }
        for (const [id, s] of this.shards) {
          if (s.closed && s.buffer.length === 0) {
            this.shards.delete(id);
            this.finished.add(id);
            lastDescribe = 0; // look for its children now
          }
        }
        if (pause !== 0) await this.idle(signal, pause);
      } catch (e) {
        if (signal.aborted) return;
        this.log(`reading ${this.mapping.eventSourceArn} failed: ${(e as Error).message}`);
        await sleep(1000, signal);
      }
    }
  }

  private async discover(): Promise<void> {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.deps.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.mapping.eventSourceArn,
          ExclusiveStartShardId: start,
        }),
      );
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const known = new Set(all.map((s) => s.ShardId!));
    const first = this.firstDescribe;
    const position = first ? (this.mapping.startingPosition ?? 'LATEST') : 'TRIM_HORIZON';
    // At LATEST, a shard that is already closed holds nothing newer.
    if (first && position === 'LATEST')
      for (const s of all)
        if (s.SequenceNumberRange?.EndingSequenceNumber) this.finished.add(s.ShardId!);
    for (const shard of all) {
      const id = shard.ShardId!;
      if (this.shards.has(id) || this.finished.has(id)) continue;
      // A child waits until its parent is read to the end, so records stay in order.
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.finished.has(parent)) continue;
      const it = await this.deps.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.mapping.eventSourceArn,
          ShardId: id,
          ShardIteratorType: first && position === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        }),
      );
      this.shards.set(id, {
        shardId: id,
        iterator: it.ShardIterator,
        buffer: [],
        attempts: 0,
        size: this.batchSize,
        windowStart: undefined,
        closed: false,
      });
    }
    this.firstDescribe = false;
  }

  /**
   * Reads and processes at most one batch. Answers how long the loop may pause before this shard
   * needs another step: 0 when it has more now (records left, or a full page read), the time
   * left of a batching window, or undefined when it has read everything there is. A page short
   * of the limit is all the shard holds: the next read waits for a write to the table (which
   * wakes it) or the poll interval, rather than finding nothing at once.
   */
  private async step(shard: ShardState): Promise<number | undefined> {
    const windowMs = (this.mapping.maxBatchingWindowSeconds ?? 0) * 1000;
    let pageFull = false;
    if (shard.buffer.length < this.batchSize && shard.iterator) {
      const out = await this.getRecords(shard);
      const records = (out.Records ?? []).map((r) =>
        toStreamRecord(r, this.mapping.eventSourceArn, this.deps.region),
      );
      pageFull = records.length >= this.readLimit;
      shard.buffer.push(...records);
      if (records.length)
        shard.lastRead = String(records[records.length - 1]!.dynamodb['SequenceNumber']);
      shard.iterator = out.NextShardIterator;
      if (!shard.iterator) shard.closed = true;
    }
    if (shard.buffer.length === 0) return pageFull ? 0 : undefined;
    shard.windowStart ??= Date.now();
    const full = shard.buffer.length >= this.batchSize || shard.closed;
    const windowLeft = windowMs - (Date.now() - shard.windowStart);
    if (!full && windowLeft > 0) return pageFull ? 0 : windowLeft;
    await this.process(shard);
    return shard.buffer.length > 0 || pageFull ? 0 : undefined;
  }

  private get readLimit(): number {
    return Math.min(1000, this.batchSize);
  }

  /**
   * GetRecords; an iterator that expired or that DynamoDB Local declares
   * trimmed (it does so for iterators taken on a shard before its first
   * record) is replaced by one after the last record read.
   */
  private async getRecords(shard: ShardState) {
    const read = () =>
      this.deps.streams.send(
        new GetRecordsCommand({
          ShardIterator: shard.iterator,
          Limit: this.readLimit,
        }),
      );
    try {
      return await read();
    } catch (e) {
      const name = (e as Error).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw e;
      const it = await this.deps.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.mapping.eventSourceArn,
          ShardId: shard.shardId,
          ...(shard.lastRead
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastRead }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      shard.iterator = it.ShardIterator;
      return read();
    }
  }

  private async process(shard: ShardState): Promise<void> {
    const batch = shard.buffer.slice(0, Math.min(shard.size, this.batchSize));
    const matching = batch.filter((r) => this.deps.filter(r as unknown as Record<string, unknown>));
    if (matching.length === 0) return this.done(shard, batch.length);

    let outcome;
    try {
      outcome = await this.target.invoke(
        { Records: matching },
        { wait: this.target.reservedConcurrency === undefined },
      );
    } catch (e) {
      if (this.abort.signal.aborted) return;
      if (!(e instanceof ThrottledError)) throw e;
      this.log('throttled; the batch is retried');
      await sleep(this.deps.retryDelayMs ?? 500, this.abort.signal);
      return;
    }
    if (this.abort.signal.aborted) return; // stopping: the workers were terminated under it
    if (outcome.ok && !this.mapping.reportBatchItemFailures) return this.done(shard, batch.length);
    if (outcome.ok) {
      const seqs = matching.map((r) => String(r.dynamodb['SequenceNumber']));
      const response = readBatchResponse(outcome.payload, new Set(seqs));
      if (response.kind === 'success') return this.done(shard, batch.length);
      if (response.kind === 'partial') {
        // Restart from the first failed record: everything before it is checkpointed.
        const first = batch.findIndex((r) =>
          response.failed.includes(String(r.dynamodb['SequenceNumber'])),
        );
        shard.buffer.splice(0, first);
        return this.failed(
          shard,
          `${response.failed.length} record(s) reported as failed`,
          outcome.requestId,
        );
      }
      return this.failed(shard, `the batch counts as failed: ${response.why}`, outcome.requestId);
    }
    if (this.mapping.bisectBatchOnFunctionError && batch.length > 1)
      shard.size = Math.ceil(batch.length / 2);
    return this.failed(
      shard,
      `${this.target.label} failed (${outcome.error.errorType}: ${outcome.error.errorMessage})`,
      outcome.requestId,
    );
  }

  private done(shard: ShardState, count: number): void {
    shard.buffer.splice(0, count);
    shard.attempts = 0;
    shard.size = this.batchSize;
    shard.windowStart = shard.buffer.length ? Date.now() : undefined;
  }

  private async failed(shard: ShardState, why: string, requestId: string): Promise<void> {
    shard.attempts++;
    const max = this.mapping.maximumRetryAttempts ?? -1;
    if (max >= 0 && shard.attempts > max) {
      const batch = shard.buffer.slice(0, Math.min(shard.size, this.batchSize));
      this.log(
        `${why}; retries exhausted after ${shard.attempts} attempt(s): ${batch.length} record(s) skipped`,
      );
      await this.sendToOnFailure(shard, batch, requestId);
      return this.done(shard, batch.length);
    }
    this.log(`${why}; retry ${shard.attempts}${max >= 0 ? ` of ${max}` : ''}`);
    await sleep(this.deps.retryDelayMs ?? 500, this.abort.signal);
  }

  /** The invocation record Lambda sends to an on-failure destination (not the records themselves). */
  private async sendToOnFailure(shard: ShardState, batch: StreamEventRecord[], requestId: string) {
    const destination = this.mapping.onFailureDestination;
    if (!destination || batch.length === 0) return;
    if (!destination.startsWith('arn:aws:sqs:')) {
      this.log(
        `on-failure destination ${destination} is not an SQS queue; the local cloud only sends to SQS`,
      );
      return;
    }
    const time = (r: StreamEventRecord) =>
      new Date(Number(r.dynamodb['ApproximateCreationDateTime'] ?? 0) * 1000).toISOString();
    const body = {
      requestContext: {
        requestId,
        functionArn: this.target.functionArn,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: shard.attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.shardId,
        startSequenceNumber: batch[0]!.dynamodb['SequenceNumber'],
        endSequenceNumber: batch[batch.length - 1]!.dynamodb['SequenceNumber'],
        approximateArrivalOfFirstRecord: time(batch[0]!),
        approximateArrivalOfLastRecord: time(batch[batch.length - 1]!),
        batchSize: batch.length,
        streamArn: this.mapping.eventSourceArn,
      },
    };
    const [, , , , account, name] = destination.split(':');
    try {
      const { QueueUrl } = await this.deps.sqs.send(
        new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
      );
      await this.deps.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }),
      );
    } catch (e) {
      this.log(`could not send the failure record to ${destination}: ${(e as Error).message}`);
    }
  }
}
