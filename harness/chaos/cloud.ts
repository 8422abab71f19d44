/**
 * What the chaos run asks of the cloud side: fault injection, queue depths,
 * settling, dead-letter redrive, table snapshots and the archive replay. All
 * over the wire (the AWS SDK and the edge's `/_local/*`), so it drives a shop
 * booted in-process and an `npm start` in another terminal alike.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ListSecretsCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  deadLetterQueues,
  listQueues,
  type DeadLetterQueue,
  type QueueInfo,
} from '../../ops/dlq/queues.js';
import { AwsTarget, probeLocal, type LocalCloudInfo } from '../../ops/shared/aws.js';
import type { RecordedEvent, FaultPlan, FaultStats } from '@shop/local-cloud';
import { controlCall, sleep } from './http.js';

/** What `GET /_local/faults` answers. */
export interface FaultStatus {
  enabled: boolean;
  plan?: Partial<FaultPlan>;
  /** Counts of faults injected so far, by kind. */
  injected?: FaultStats;
}

export interface Redriven {
  queue: string;
  moved: number;
  status: string;
  failureReason?: string;
}

export type Snapshot = Record<string, Map<string, string>>;

interface OutboxRow {
  eventId: string;
  detailType: string;
  correlationId: string;
}

export class CloudSide {
  private constructor(
    readonly endpoint: string,
    readonly info: LocalCloudInfo,
    private readonly target: AwsTarget,
    private readonly ddb: DynamoDBClient,
  ) {}

  static async connect(endpoint: string): Promise<CloudSide> {
    const info = await probeLocal(endpoint);
    if (!info) {
      throw new Error(
        `${endpoint} is not the local cloud (GET /_local/health did not answer ok); start the shop with \`npm start\` and pass the endpoint it prints.`,
      );
    }
    const config = {
      endpoint: info.endpoint,
      region: info.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    return new CloudSide(
      info.endpoint,
      info,
      new AwsTarget(config, info, info.endpoint),
      new DynamoDBClient(config),
    );
  }

  close(): void {
    this.target.destroy();
    this.ddb.destroy();
  }

  // --- fault injection (GET/PUT/DELETE /_local/faults) ---

  /** The injector's state; undefined when this local cloud has no fault injection. */
  async faults(): Promise<FaultStatus | undefined> {
    const res = await controlCall<FaultStatus>(`${this.endpoint}/_local/faults`, 'GET');
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new Error(`GET /_local/faults answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  async faultsOn(plan: FaultPlan): Promise<void> {
    const res = await controlCall(`${this.endpoint}/_local/faults`, 'PUT', plan);
    if (res.status === 404) {
      throw new Error(
        `This local cloud has no fault injection (PUT /_local/faults answered 404). Update it, or run ` +
          `without faults: --handler-fault-rate 0 --duplicate-rate 0 --reorder-ms 0 --throttle-rate 0 --kill-rate 0.`,
      );
    }
    if (res.status >= 300) {
      throw new Error(
        `PUT /_local/faults refused the plan ${JSON.stringify(plan)}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
  }

  async faultsOff(): Promise<void> {
    const res = await controlCall(`${this.endpoint}/_local/faults`, 'DELETE');
    if (res.status >= 300 && res.status !== 404) {
      throw new Error(`DELETE /_local/faults answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }

  // --- queues ---

  async queues(): Promise<{ all: QueueInfo[]; dlqs: DeadLetterQueue[]; work: QueueInfo[] }> {
    const all = await listQueues(this.target, undefined);
    const dlqs = deadLetterQueues(all);
    const dlqArns = new Set(dlqs.map((q) => q.arn));
    return { all, dlqs, work: all.filter((q) => !dlqArns.has(q.arn)) };
  }

  /** Messages waiting, in flight or delayed in every queue that is not a dead-letter queue. */
  async busy(): Promise<number> {
    const { work } = await this.queues();
    return work.reduce((sum, q) => sum + depth(q), 0);
  }

  async deadLetterDepths(): Promise<Record<string, number>> {
    const { dlqs } = await this.queues();
    return Object.fromEntries(dlqs.map((q) => [q.name, depth(q)]));
  }

  /**
   * Sets every subscription queue's visibility timeout (those that have a
   * dead-letter queue) and answers a function that puts the old values back.
   */
  async setVisibility(seconds: number): Promise<() => Promise<void>> {
    const { all } = await this.queues();
    const subscriptions = all.filter((q) => q.redrive);
    const before = subscriptions.map(
      (q) => [q.url, q.attributes['VisibilityTimeout'] ?? '30'] as const,
    );
    for (const q of subscriptions) {
      await this.target.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: q.url,
          Attributes: { VisibilityTimeout: String(seconds) },
        }),
      );
    }
    return async () => {
      for (const [url, value] of before) {
        await this.target.sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: url,
            Attributes: { VisibilityTimeout: value },
          }),
        );
      }
    };
  }

  /**
   * Waits until the shop is settled: every work queue empty and no event put
   * on the bus for `quietMs` in a row, and every outbox row written since
   * `since` published. The last part sees what queues cannot: events still in
   * a table's stream, e.g. behind a publisher invocation that hangs until its
   * 30 s timeout while every queue is empty. Answers the milliseconds it took;
   * throws after `timeoutMs` naming what was still pending.
   */
  async settle(
    quietMs: number,
    timeoutMs: number,
    since: Date,
    signal?: AbortSignal,
  ): Promise<number> {
    const started = Date.now();
    let quietSince = Date.now();
    let seq = await this.lastEventSeq();
    let lastBusy = 0;
    let unpublished: OutboxRow[] = [];
    for (;;) {
      if (signal?.aborted) throw new Error('Interrupted while waiting for the shop to settle.');
      lastBusy = await this.busy();
      const nowSeq = await this.lastEventSeq();
      if (lastBusy > 0 || nowSeq !== seq) {
        quietSince = Date.now();
        seq = nowSeq;
      }
      if (Date.now() - quietSince >= quietMs) {
        unpublished = await this.unpublishedOutbox(since);
        if (unpublished.length === 0) return Date.now() - started;
        quietSince = Date.now();
      }
      if (Date.now() - started > timeoutMs) {
        const rows = unpublished
          .slice(0, 5)
          .map((r) => `${r.detailType} ${r.eventId} of ${r.correlationId}`);
        throw new Error(
          `The shop did not settle within ${Math.round(timeoutMs / 1000)} s: ${lastBusy} message(s) still in the ` +
            `work queues, ${unpublished.length} outbox row(s) not on the bus${rows.length ? ` (${rows.join('; ')})` : ''}. ` +
            `Raise timing.settleTimeoutMs, or look for a consumer or publisher that keeps failing ` +
            `(npm run dlq -- list --endpoint-url ${this.endpoint}).`,
        );
      }
      await sleep(250, signal);
    }
  }

  /** Event ids seen on the buses so far, read from the event log a page of new events at a time. */
  private readonly published = new Set<string>();
  private publishedSeq = 0;

  /** Outbox rows of every table, written since `since`, whose event has not reached a bus. */
  async unpublishedOutbox(since: Date): Promise<OutboxRow[]> {
    const res = await controlCall<{ events: RecordedEvent[]; lastSeq: number }>(
      `${this.endpoint}/_local/events?since=${this.publishedSeq}`,
      'GET',
    );
    for (const e of res.body.events ?? []) {
      const detail = e.event['detail'] as { metadata?: { eventId?: string } } | undefined;
      if (detail?.metadata?.eventId) this.published.add(detail.metadata.eventId);
    }
    this.publishedSeq = res.body.lastSeq ?? this.publishedSeq;
    const out: OutboxRow[] = [];
    const { TableNames = [] } = await this.ddb.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      let start: Record<string, never> | undefined;
      do {
        const page = await this.ddb.send(
          new ScanCommand({
            TableName: table,
            ExclusiveStartKey: start,
            FilterExpression: '#kind = :outbox AND #at >= :since',
            ExpressionAttributeNames: {
              '#kind': 'kind',
              '#at': 'occurredAt',
              '#id': 'eventId',
              '#type': 'detailType',
              '#corr': 'correlationId',
            },
            ExpressionAttributeValues: {
              ':outbox': { S: 'outbox' },
              ':since': { S: since.toISOString() },
            },
            ProjectionExpression: '#id, #type, #corr',
          }),
        );
        for (const raw of page.Items ?? []) {
          const row = unmarshall(raw) as OutboxRow;
          if (!this.published.has(row.eventId)) out.push(row);
        }
        start = page.LastEvaluatedKey as never;
      } while (start);
    }
    return out;
  }

  /**
   * Moves every dead-letter queue that has a source back to it
   * (StartMessageMoveTask) and follows each task to its end. On-failure queues
   * of stream publishers have no source: their messages stay and are reported.
   */
  async redriveAll(
    signal?: AbortSignal,
  ): Promise<{ redriven: Redriven[]; stuck: Record<string, number> }> {
    const { dlqs } = await this.queues();
    const redriven: Redriven[] = [];
    const stuck: Record<string, number> = {};
    for (const q of dlqs) {
      const visible = Number(q.attributes['ApproximateNumberOfMessages'] ?? 0);
      if (visible === 0) continue;
      if (q.sources.length !== 1) {
        stuck[q.name] = visible;
        continue;
      }
      await this.target.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: q.arn, DestinationArn: q.sources[0]!.arn }),
      );
      for (;;) {
        const { Results = [] } = await this.target.sqs.send(
          new ListMessageMoveTasksCommand({ SourceArn: q.arn, MaxResults: 1 }),
        );
        const task = Results[0];
        if (task?.Status !== 'RUNNING' && task?.Status !== 'CANCELLING') {
          redriven.push({
            queue: q.name,
            moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
            status: task?.Status ?? 'UNKNOWN',
            ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
          });
          break;
        }
        if (signal?.aborted) throw new Error(`Interrupted while redriving ${q.name}.`);
        await sleep(100, signal);
      }
    }
    return { redriven, stuck };
  }

  // --- the event log and the archive ---

  /** Events the buses have accepted so far (replays included): it grows while anything moves. */
  async lastEventSeq(): Promise<number> {
    const res = await controlCall<{ eventsPut: number }>(`${this.endpoint}/_local/metrics`, 'GET');
    if (res.status !== 200) throw new Error(`GET /_local/metrics answered ${res.status}.`);
    return res.body.eventsPut;
  }

  /** Every event of one order's journey (its correlationId), oldest first. */
  async journey(correlationId: string): Promise<RecordedEvent[]> {
    const res = await controlCall<{ events: RecordedEvent[] }>(
      `${this.endpoint}/_local/events?correlationId=${encodeURIComponent(correlationId)}`,
      'GET',
    );
    return res.body.events ?? [];
  }

  /** Replays the bus's archive from `from` to now into the bus, and follows it to COMPLETED. */
  async replayArchive(
    from: Date,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ name: string; ms: number }> {
    const events = this.target.events;
    const { Archives = [] } = await events.send(new ListArchivesCommand({}));
    if (Archives.length !== 1) {
      throw new Error(
        `Expected the shop's one archive, found ${Archives.length} (${Archives.map((a) => a.ArchiveName).join(', ')}).`,
      );
    }
    const archive = await events.send(
      new DescribeArchiveCommand({ ArchiveName: Archives[0]!.ArchiveName }),
    );
    const name = `chaos-${Date.now().toString(36)}`;
    const started = Date.now();
    await events.send(
      new StartReplayCommand({
        ReplayName: name,
        EventSourceArn: archive.ArchiveArn,
        EventStartTime: from,
        EventEndTime: new Date(),
        Destination: { Arn: archive.EventSourceArn },
      }),
    );
    for (;;) {
      const r = await events.send(new DescribeReplayCommand({ ReplayName: name }));
      if (r.State === 'COMPLETED') return { name, ms: Date.now() - started };
      if (r.State === 'FAILED' || r.State === 'CANCELLED') {
        throw new Error(
          `The archive replay ${name} ended ${r.State}: ${r.StateReason ?? 'no reason given'}.`,
        );
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `The archive replay ${name} did not complete within ${Math.round(timeoutMs / 1000)} s (state ${r.State}).`,
        );
      }
      await sleep(250, signal);
    }
  }

  // --- tables ---

  /** Every item of every table, as canonical JSON by key: the whole state of the shop. */
  async snapshot(): Promise<Snapshot> {
    const out: Snapshot = {};
    const { TableNames = [] } = await this.ddb.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      const items = new Map<string, string>();
      let start: Record<string, never> | undefined;
      do {
        const page = await this.ddb.send(
          new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        for (const raw of page.Items ?? []) {
          const item = unmarshall(raw);
          items.set(String(item['pk'] ?? JSON.stringify(item)), canonical(item));
        }
        start = page.LastEvaluatedKey as never;
      } while (start);
      out[table] = items;
    }
    return out;
  }

  /** The carrier webhook key, from the local Secrets Manager (the one secret named for it). */
  async webhookSecret(): Promise<string> {
    const sm = new SecretsManagerClient({
      endpoint: this.endpoint,
      region: this.info.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { SecretList = [] } = await sm.send(new ListSecretsCommand({}));
      const candidates = SecretList.filter((s) =>
        /carrier|webhook/i.test(`${s.Name} ${s.Description ?? ''}`),
      );
      const chosen =
        candidates.length === 1
          ? candidates[0]
          : SecretList.length === 1
            ? SecretList[0]
            : undefined;
      if (!chosen?.ARN) {
        throw new Error(
          `Cannot tell which secret is the carrier webhook key (${SecretList.map((s) => s.Name).join(', ') || 'no secrets'}); pass --webhook-secret.`,
        );
      }
      const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: chosen.ARN }));
      return SecretString ?? '';
    } finally {
      sm.destroy();
    }
  }

  async queueAttributes(url: string): Promise<Record<string, string>> {
    const { Attributes = {} } = await this.target.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    return Attributes;
  }
}

function depth(q: QueueInfo): number {
  const n = (k: string) => Number(q.attributes[k] ?? 0);
  return (
    n('ApproximateNumberOfMessages') +
    n('ApproximateNumberOfMessagesNotVisible') +
    n('ApproximateNumberOfMessagesDelayed')
  );
}

/** JSON with sorted keys, so equal items compare equal whatever their attribute order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Set) return canonical([...value].sort());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Items added, removed or changed between two snapshots, as `table pk` lines. */
export function snapshotChanges(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table] ?? new Map<string, string>();
    const b = after[table] ?? new Map<string, string>();
    for (const [key, value] of b) {
      if (!a.has(key)) out.push(`${table}: added ${key}`);
      else if (a.get(key) !== value) out.push(`${table}: changed ${key}`);
    }
    for (const key of a.keys()) if (!b.has(key)) out.push(`${table}: removed ${key}`);
  }
  return out;
}
