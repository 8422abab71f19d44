/**
 * The conformance suite's shared setup: one local cloud (no DynamoDB), SDK
 * clients for SQS and EventBridge, and the two ways older tools talk to SQS
 * (the query protocol as a form post; the JSON protocol as a raw request).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../src/cloud.js';

const credentials = { accessKeyId: 'any', secretAccessKey: 'any' };

export interface Conformance {
  cloud: LocalCloud;
  sqs: SQSClient;
  events: EventBridgeClient;
  /** A unique name for this run: queue-, bus- or rule-safe. */
  name(prefix: string): string;
  stop(): Promise<void>;
}

export async function startConformance(opts: LocalCloudOptions = {}): Promise<Conformance> {
  const cloud = await startLocalCloud({ port: 0, dynamodb: false, ...opts });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials };
  const sqs = new SQSClient(config);
  const events = new EventBridgeClient(config);
  let n = 0;
  return {
    cloud,
    sqs,
    events,
    name: (prefix) => `${prefix}-${++n}`,
    async stop() {
      sqs.destroy();
      events.destroy();
      await cloud.stop();
    },
  };
}

export interface WireAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** An SQS query-protocol call, form-encoded as the AWS CLI 1.x and older SDKs send it. */
export async function sqsQuery(
  endpoint: string,
  action: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<WireAnswer> {
  const body = new URLSearchParams({ Action: action, Version: '2012-11-05', ...params });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** An SQS JSON-protocol call without the SDK, to see `__type` and headers as sent. */
export async function sqsJson(
  endpoint: string,
  action: string,
  input: Record<string, unknown>,
): Promise<WireAnswer & { json: Record<string, unknown> }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      'x-amzn-query-mode': 'true',
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text || '{}') };
}

/** The first `<tag>` element's text in an XML answer. */
export function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** The error an SDK call fails with: its name, message and HTTP status. */
export async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One SQS error as a protocol shows it: the code a client matches, the message, the HTTP status. */
export interface SqsWireError {
  code: string | undefined;
  message: string | undefined;
  status: number;
}

/**
 * The same failing SQS call over both protocols: JSON (what the SDK v3 sends;
 * the code is the query code of `x-amzn-query-error`, which the SDK names the
 * error after) and query (the AWS CLI 1.x; the XML `<Code>`). `query` holds
 * the query protocol's flattened form of `json`.
 */
export async function sqsFailsBoth(
  endpoint: string,
  action: string,
  json: Record<string, unknown>,
  query: Record<string, string>,
): Promise<{ json: SqsWireError & { type: string | undefined }; query: SqsWireError }> {
  const j = await sqsJson(endpoint, action, json);
  const q = await sqsQuery(endpoint, action, query);
  return {
    json: {
      code: j.headers.get('x-amzn-query-error')?.split(';')[0],
      type: j.json['__type'] as string | undefined,
      message: j.json['message'] as string | undefined,
      status: j.status,
    },
    query: {
      code: xmlText(q.text, 'Code'),
      message: unescapeXml(xmlText(q.text, 'Message')),
      status: q.status,
    },
  };
}

/** Both protocols failed alike: the same code, status and message. */
export function sameOnBoth(
  answer: Awaited<ReturnType<typeof sqsFailsBoth>>,
  expected: { code: string; status: number; message?: string | RegExp },
): void {
  for (const side of [answer.json, answer.query]) {
    if (side.code !== expected.code || side.status !== expected.status) {
      throw new Error(
        `expected ${expected.code} (${expected.status}), got ${String(side.code)} (${side.status}): ${String(side.message)}`,
      );
    }
    const m = expected.message;
    const ok =
      m === undefined || (typeof m === 'string' ? side.message === m : m.test(side.message ?? ''));
    if (!ok) throw new Error(`expected message ${String(m)}, got ${String(side.message)}`);
  }
}

function unescapeXml(text: string | undefined): string | undefined {
  return text
    ?.replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
