/**
 * What a rebuild costs on AWS, per replayed event, at us-east-1 on-demand
 * prices (docs/operations.md cites the pricing pages). An estimate: it assumes
 * events under 64 KB, views of about 3 KB (a whole journey's timeline: under
 * 4 KB to read, 3 write units to write, and as many for the index, which
 * projects every attribute), and the consumer's batches of 10.
 */
export const PRICES_USD = {
  /** EventBridge bills each replayed event as a custom event. */
  eventBridgePerEvent: 1.0 / 1e6,
  /** SQS standard: EventBridge's send, plus receive and delete per batch of 10. */
  sqsPerRequest: 0.4 / 1e6,
  lambdaPerRequest: 0.2 / 1e6,
  /** Arm, per GB-second. */
  lambdaPerGbSecond: 0.0000133334,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
} as const;

/** Per event: read pointer + read view (strongly consistent: 1 unit each), write view + its index entry. */
const READ_UNITS_PER_EVENT = 2;
const WRITE_UNITS_PER_EVENT = 6;
const BATCH = 10;
/** Per batch: 256 MB for about 300 ms. */
const GB_SECONDS_PER_BATCH = 0.25 * 0.3;

export interface CostEstimate {
  readonly events: number;
  readonly usd: number;
  readonly lines: readonly { what: string; usd: number }[];
  /** The same lines for a million events and a million old items: what the figures scale with. */
  readonly perMillion: readonly { what: string; usd: number }[];
}

export function estimateCost(events: number, oldViewItems: number): CostEstimate {
  const lines = costLines(events, oldViewItems);
  return {
    events,
    usd: lines.reduce((sum, l) => sum + l.usd, 0),
    lines,
    perMillion: costLines(1e6, 1e6),
  };
}

function costLines(events: number, oldViewItems: number): { what: string; usd: number }[] {
  const batches = Math.ceil(events / BATCH);
  return [
    { what: 'EventBridge replayed events', usd: events * PRICES_USD.eventBridgePerEvent },
    {
      what: 'SQS requests (send, receive, delete)',
      usd: (events + 2 * batches) * PRICES_USD.sqsPerRequest,
    },
    {
      what: 'Lambda requests and duration',
      usd:
        batches * PRICES_USD.lambdaPerRequest +
        batches * GB_SECONDS_PER_BATCH * PRICES_USD.lambdaPerGbSecond,
    },
    {
      what: 'DynamoDB reads and writes of the new version',
      usd:
        events *
        (READ_UNITS_PER_EVENT * PRICES_USD.dynamoPerReadUnit +
          WRITE_UNITS_PER_EVENT * PRICES_USD.dynamoPerWriteUnit),
    },
    {
      what: 'DynamoDB scan and deletes of the old version (item + index entry)',
      usd:
        oldViewItems * 2 * PRICES_USD.dynamoPerWriteUnit +
        oldViewItems * PRICES_USD.dynamoPerReadUnit,
    },
  ];
}

export const formatUsd = (usd: number) =>
  usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
