import { PRICES, XRAY_SAMPLED_SHARE, ARCHIVE_MONTHS, type Price } from './prices-us-east-1.js';

/** What AWS would bill for one order (averages over the orders measured), in billing units. */
export interface OrderUsage {
  /** DynamoDB request units, as DynamoDB Local computed them. */
  readonly dynamodb: { readonly read: number; readonly write: number };
  /** Invocations and GB-seconds (billed duration, rounded up per 1 ms, times configured memory). */
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number };
  /** Custom events put, in 64 KB chunks, and the bytes the archive keeps of them. */
  readonly events: { readonly chunks: number; readonly bytes: number };
  /** SQS requests: EventBridge's sends, the pollers' non-empty receives and deletes, others. */
  readonly sqs: { readonly requests: number };
  readonly http: { readonly requests: number };
  /** Bytes CloudWatch Logs ingests: each event's message plus 26 bytes. */
  readonly logs: { readonly bytes: number };
  readonly kms: { readonly requests: number };
  readonly scheduler: { readonly invocations: number };
  readonly s3: { readonly put: number; readonly get: number };
}

export type Architecture = 'arm64' | 'x86_64';

export interface CostLine {
  readonly service: string;
  readonly item: string;
  /** Billing units per order. */
  readonly units: number;
  readonly unit: string;
  /** US dollars per million orders. */
  readonly usdPerMillion: number;
}

const GB = 1024 ** 3;

const line = (service: string, item: string, units: number, p: Price): CostLine => ({
  service,
  item,
  units,
  unit: p.unit,
  usdPerMillion: ((units * p.usd) / p.per) * 1e6,
});

/** The bill of one million orders like the one measured, line by line. */
export function costLines(u: OrderUsage, architecture: Architecture = 'arm64'): CostLine[] {
  const P = PRICES;
  const gbSecond = architecture === 'arm64' ? P.lambdaArmGbSecond : P.lambdaX86GbSecond;
  return [
    line('DynamoDB', 'write request units', u.dynamodb.write, P.dynamodbWriteRequestUnit),
    line('DynamoDB', 'read request units', u.dynamodb.read, P.dynamodbReadRequestUnit),
    line('Lambda', 'invocations', u.lambda.invocations, P.lambdaRequest),
    line('Lambda', `duration (${architecture})`, u.lambda.gbSeconds, gbSecond),
    line('EventBridge', 'custom events', u.events.chunks, P.eventbridgeCustomEvent),
    line('EventBridge', 'archive (processing)', u.events.bytes / GB, P.eventbridgeArchiveGb),
    line(
      'EventBridge',
      `archive (storage, ${ARCHIVE_MONTHS} month)`,
      (u.events.bytes / GB) * ARCHIVE_MONTHS,
      P.eventbridgeArchiveStorageGbMonth,
    ),
    line('SQS', 'requests', u.sqs.requests, P.sqsRequest),
    line('API Gateway', 'HTTP API requests', u.http.requests, P.httpApiRequest),
    line('CloudWatch Logs', 'ingestion', u.logs.bytes / GB, P.logsIngestedGb),
    line(
      'X-Ray',
      `traces (${XRAY_SAMPLED_SHARE * 100}% sampled)`,
      u.http.requests * XRAY_SAMPLED_SHARE,
      P.xrayTraceRecorded,
    ),
    line('KMS', 'requests', u.kms.requests, P.kmsRequest),
    line('Scheduler', 'invocations', u.scheduler.invocations, P.schedulerInvocation),
    line('S3', 'PUT requests', u.s3.put, P.s3PutRequest),
    line('S3', 'GET requests', u.s3.get, P.s3GetRequest),
  ];
}

export function totalPerMillion(lines: readonly CostLine[]): number {
  return lines.reduce((sum, l) => sum + l.usdPerMillion, 0);
}

/** Dollars per million orders by service, largest first. */
export function byService(lines: readonly CostLine[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.service, (sums.get(l.service) ?? 0) + l.usdPerMillion);
  return [...sums].sort((a, b) => b[1] - a[1]);
}

/** Lambda's billed GB-seconds of one invocation: duration rounded up to the millisecond. */
export function billedGbSeconds(durationMs: number, memoryMb: number): number {
  return (Math.ceil(durationMs) / 1000) * (memoryMb / 1024);
}

/** Billing chunks of a payload: EventBridge and SQS bill per 64 KB, HTTP API per 512 KB. */
export function chunks(bytes: number, chunkKb: number): number {
  return Math.max(1, Math.ceil(bytes / (chunkKb * 1024)));
}

/** CloudWatch Logs' ingested size of one log event. */
export function ingestedBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + 26;
}
