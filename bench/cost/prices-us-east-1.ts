/**
 * AWS list prices in US East (N. Virginia), on-demand, without free tiers or volume tiers (the
 * first tier of each), as the pricing pages gave them. Update the date and the figures together.
 * A figure the cost model uses and no page could confirm is marked `unconfirmed`.
 */
export const PRICES_AS_OF = '2026-12-02';
export const REGION = 'us-east-1';

export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
  readonly note?: string;
}

const price = (usd: number, per: number, unit: string, source: string, note?: string): Price => ({
  usd,
  per,
  unit,
  source,
  ...(note && { note }),
});

export const PRICES = {
  dynamodbWriteRequestUnit: price(
    0.625,
    1e6,
    'write request unit (on-demand)',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'since 2024-11-01; a write per 1 KB, transactional x2, each GSI written to',
  ),
  dynamodbReadRequestUnit: price(
    0.125,
    1e6,
    'read request unit (on-demand)',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'a strongly consistent read per 4 KB, eventually consistent half, transactional x2; stream reads by Lambda are free',
  ),
  lambdaRequest: price(0.2, 1e6, 'invocation', 'https://aws.amazon.com/lambda/pricing/'),
  lambdaArmGbSecond: price(
    0.0000133334,
    1,
    'GB-second, arm64',
    'https://aws.amazon.com/lambda/pricing/',
    'first 7.5 billion GB-s a month; billed per 1 ms',
  ),
  lambdaX86GbSecond: price(
    0.0000166667,
    1,
    'GB-second, x86_64',
    'https://aws.amazon.com/lambda/pricing/',
    'first 6 billion GB-s a month',
  ),
  eventbridgeCustomEvent: price(
    1.0,
    1e6,
    'custom event put (64 KB chunk)',
    'https://aws.amazon.com/eventbridge/pricing/',
    'delivery to SQS targets is not charged by EventBridge',
  ),
  eventbridgeArchiveGb: price(
    0.1,
    1,
    'GB archived (processing)',
    'https://aws.amazon.com/eventbridge/pricing/',
  ),
  eventbridgeArchiveStorageGbMonth: price(
    0.023,
    1,
    'GB-month of archive storage',
    'https://aws.amazon.com/eventbridge/pricing/',
  ),
  sqsRequest: price(
    0.4,
    1e6,
    'standard queue request (64 KB chunk)',
    'https://aws.amazon.com/sqs/pricing/',
    'after the first million a month; sends by EventBridge and receives/deletes by Lambda pollers count',
  ),
  httpApiRequest: price(
    1.0,
    1e6,
    'HTTP API request (512 KB chunk)',
    'https://aws.amazon.com/api-gateway/pricing/',
    'first 300 million a month',
  ),
  logsIngestedGb: price(
    0.5,
    1,
    'GB ingested (Standard log class)',
    'https://aws.amazon.com/cloudwatch/pricing/',
    'each event counts its message plus 26 bytes',
  ),
  xrayTraceRecorded: price(5.0, 1e6, 'trace recorded', 'https://aws.amazon.com/xray/pricing/'),
  kmsRequest: price(
    0.03,
    1e4,
    'KMS API request',
    'https://aws.amazon.com/kms/pricing/',
    'plus $1 a month per customer managed key (idle cost)',
  ),
  schedulerInvocation: price(
    1.0,
    1e6,
    'EventBridge Scheduler invocation',
    'https://aws.amazon.com/eventbridge/pricing/',
    'after 14 million free a month; CreateSchedule and DeleteSchedule themselves are not charged',
  ),
  s3PutRequest: price(5.0, 1e6, 'S3 PUT/POST/LIST request', 'https://aws.amazon.com/s3/pricing/'),
  s3GetRequest: price(0.4, 1e6, 'S3 GET request', 'https://aws.amazon.com/s3/pricing/'),
} as const satisfies Record<string, Price>;

/**
 * X-Ray's default sampling rule: the first request each second and 5% of the rest, per
 * service. At a million orders a month (about 0.4 a second) the reservoir alone would take
 * most of them; at scale 5% is what is recorded, and what this model assumes.
 */
export const XRAY_SAMPLED_SHARE = 0.05;

/** Archive storage the model charges per order: the events of one month, kept the 30 days the archive retains. */
export const ARCHIVE_MONTHS = 1;
