import type { InvocationSummary } from '@shop/local-cloud';
import type { RunningShop } from '../../harness/shop/index.js';
import { billedGbSeconds, chunks, ingestedBytes, type OrderUsage } from './model.js';

/** Cumulative counters of a running shop at one moment; two of them make a usage. */
export interface Reading {
  readonly calls: Record<string, Record<string, number>>;
  readonly capacity: { read: number; write: number };
  /** Request units by table. */
  readonly tables: Record<string, { read: number; write: number }>;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly eventSeq: number;
  readonly logBytes: number;
  readonly logGroups: Record<string, number>;
  readonly httpRequests: number;
}

/**
 * Reads what a run of the local shop did, in AWS's billing units: the local cloud's call
 * counts (the edge's and its pollers'), DynamoDB's request units (cloud.capacity), the
 * functions' invocations with their configured memory, the events the bus recorded and the
 * bytes the functions logged. Create it before the shop (it takes the invocation summaries),
 * then `attach` it.
 */
export class UsageMeter {
  private shop: RunningShop | undefined;
  private memoryByLabel = new Map<string, number>();
  private invocations = 0;
  private gbSeconds = 0;
  private logBytes = 0;
  private readonly logBytesByGroup = new Map<string, number>();
  private httpRequests = 0;
  private unsubscribe: (() => void) | undefined;

  /** Give this to startShop's `onInvocation`. */
  readonly onInvocation = (s: InvocationSummary): void => {
    const memory = this.memoryByLabel.get(s.label);
    if (memory === undefined) return; // before attach: boot-time invocations are not orders'
    this.invocations++;
    this.gbSeconds += billedGbSeconds(s.durationMs, memory);
  };

  /** Invocations counted since attach. */
  get invocationsSoFar(): number {
    return this.invocations;
  }

  attach(shop: RunningShop): void {
    this.shop = shop;
    for (const f of shop.app.functions) this.memoryByLabel.set(f.config.label, f.config.memorySize);
    this.unsubscribe = shop.cloud.logs.subscribe((group, _stream, event) => {
      const bytes = ingestedBytes(event.message);
      this.logBytes += bytes;
      this.logBytesByGroup.set(group, (this.logBytesByGroup.get(group) ?? 0) + bytes);
    });
    shop.cloud.capacity.start();
  }

  detach(): void {
    this.unsubscribe?.();
    this.shop?.cloud.capacity.stop();
  }

  /** One HTTP API request the driver sent (the client's side of the bill). */
  countHttp(n = 1): void {
    this.httpRequests += n;
  }

  read(): Reading {
    const shop = this.requireShop();
    const tables = shop.cloud.capacity.totals();
    const units = Object.values(tables);
    return {
      tables,
      calls: shop.cloud.context.recorder.metrics().calls,
      capacity: {
        read: units.reduce((s, u) => s + u.read, 0),
        write: units.reduce((s, u) => s + u.write, 0),
      },
      invocations: this.invocations,
      gbSeconds: this.gbSeconds,
      eventSeq: shop.cloud.context.recorder.events({}).at(-1)?.seq ?? 0,
      logBytes: this.logBytes,
      logGroups: Object.fromEntries(this.logBytesByGroup),
      httpRequests: this.httpRequests,
    };
  }

  /** The usage between two readings, per order. */
  usage(
    before: Reading,
    after: Reading,
    orders: number,
  ): OrderUsage & {
    calls: CallCounts;
    tables: Record<string, { read: number; write: number }>;
    logGroups: Record<string, number>;
  } {
    const shop = this.requireShop();
    const calls = callDelta(before.calls, after.calls);
    const events = shop.cloud.context.recorder
      .events({ since: before.eventSeq })
      .filter((e) => e.seq <= after.eventSeq);
    const eventBytes = events.map((e) => Buffer.byteLength(JSON.stringify(e.event)));
    const n = (service: string, action: string) => calls[service]?.[action] ?? 0;
    // Pollers' receives that found messages: each such batch ends in one delete (the batch or,
    // for a partial batch response, the messages that succeeded). Empty long polls are idle cost.
    const sqsRequests =
      n('EventBridge.targets', 'Invocations') +
      n('Scheduler.targets', 'Invocations') +
      n('SQS', 'SendMessage') +
      n('SQS', 'SendMessageBatch') +
      n('SQS', 'ChangeMessageVisibility') +
      n('SQS', 'ChangeMessageVisibilityBatch') +
      2 * (n('SQS', 'DeleteMessageBatch') + n('SQS', 'DeleteMessage')) +
      // The pollers in process (the local cloud's, as AWS's): a non-empty receive and a delete.
      n('SQS.pollers', 'ReceiveMessage') +
      n('SQS.pollers', 'DeleteMessageBatch');
    const kms = Object.values(calls['KMS'] ?? {}).reduce((s, v) => s + v, 0);
    const s3 = calls['S3'] ?? {};
    const per = (v: number) => v / orders;
    return {
      dynamodb: {
        read: per(after.capacity.read - before.capacity.read),
        write: per(after.capacity.write - before.capacity.write),
      },
      lambda: {
        invocations: per(after.invocations - before.invocations),
        gbSeconds: per(after.gbSeconds - before.gbSeconds),
      },
      events: {
        chunks: per(eventBytes.reduce((s, b) => s + chunks(b, 64), 0)),
        bytes: per(eventBytes.reduce((s, b) => s + b, 0)),
      },
      sqs: { requests: per(sqsRequests) },
      http: { requests: per(after.httpRequests - before.httpRequests) },
      logs: { bytes: per(after.logBytes - before.logBytes) },
      kms: { requests: per(kms) },
      scheduler: { invocations: per(n('Scheduler.targets', 'Invocations')) },
      s3: {
        put: per((s3['PutObject'] ?? 0) + (s3['UploadPart'] ?? 0)),
        get: per(s3['GetObject'] ?? 0),
      },
      calls: perOrder(calls, orders),
      logGroups: Object.fromEntries(
        Object.entries(after.logGroups).map(([g, b]) => [
          g,
          (b - (before.logGroups[g] ?? 0)) / orders,
        ]),
      ),
      tables: Object.fromEntries(
        Object.entries(after.tables).map(([t, u]) => [
          t,
          {
            read: (u.read - (before.tables[t]?.read ?? 0)) / orders,
            write: (u.write - (before.tables[t]?.write ?? 0)) / orders,
          },
        ]),
      ),
    };
  }

  private requireShop(): RunningShop {
    if (!this.shop) throw new Error('UsageMeter: attach(shop) first.');
    return this.shop;
  }
}

export type CallCounts = Record<string, Record<string, number>>;

export function callDelta(before: CallCounts, after: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [service, actions] of Object.entries(after)) {
    for (const [action, count] of Object.entries(actions)) {
      const d = count - (before[service]?.[action] ?? 0);
      if (d > 0) (out[service] ??= {})[action] = d;
    }
  }
  return out;
}

function perOrder(calls: CallCounts, orders: number): CallCounts {
  const out: CallCounts = {};
  for (const [service, actions] of Object.entries(calls)) {
    for (const [action, count] of Object.entries(actions))
      (out[service] ??= {})[action] = count / orders;
  }
  return out;
}

/**
 * AWS API calls per order through the edge: the functions' own, and the receives and deletes of
 * pollers that go through it (an app loaded onto a cloud in another process). The local cloud's
 * in-process pollers (`SQS.pollers`, internal as AWS's are; what SQS bills of them is in the cost
 * model), stream reads (free), its deliveries and empty receives are left out.
 */
export function apiCallsPerOrder(calls: CallCounts): number {
  let total = 0;
  for (const [service, actions] of Object.entries(calls)) {
    if (service === 'DynamoDBStreams' || service.endsWith('.targets') || service === 'SQS.pollers')
      continue;
    for (const [action, count] of Object.entries(actions)) {
      if (service === 'SQS' && action === 'ReceiveMessage') continue;
      total += count;
    }
  }
  // One non-empty receive per deleted batch.
  total += (calls['SQS']?.['DeleteMessageBatch'] ?? 0) + (calls['SQS']?.['DeleteMessage'] ?? 0);
  return total;
}
