import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import type { Io } from '../../ops/shared/cli.js';

/** The local cloud without DynamoDB (no JVM), with SDK clients the way an app has them. */
export async function startCloud(): Promise<{
  cloud: LocalCloud;
  events: EventBridgeClient;
  sqs: SQSClient;
  stop: () => Promise<void>;
}> {
  const cloud = await startLocalCloud({ port: 0, dynamodb: false });
  const config = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  return {
    cloud,
    events,
    sqs,
    stop: async () => {
      events.destroy();
      sqs.destroy();
      await cloud.stop();
    },
  };
}

export interface Captured {
  io: Io;
  stdout: () => string;
  stderr: () => string;
  /** Feeds standard input (marked as a terminal when `tty`). */
  stdin: PassThrough & { isTTY?: boolean };
}

/** An Io whose output is kept for assertions; no terminal unless asked. */
export function capture(opts: { tty?: boolean; env?: Record<string, string> } = {}): Captured {
  let out = '';
  let err = '';
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (opts.tty) stdin.isTTY = true;
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdin,
      env: opts.env ?? {},
      pollMs: 20,
    },
    stdout: () => out,
    stderr: () => err,
    stdin,
  };
}

export interface Queue {
  url: string;
  arn: string;
  name: string;
}

export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<Queue> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!['QueueArn']!, name };
}

/** A subscription as the Subscription construct makes one: rule -> queue, with a DLQ. */
export async function subscribe(
  events: EventBridgeClient,
  sqs: SQSClient,
  opts: { bus: string; stack: string; detailTypes: string[]; maxReceiveCount?: number },
): Promise<{ rule: string; ruleArn: string; queue: Queue; dlq: Queue }> {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const dlq = await createQueue(sqs, `${opts.stack}-SubscriptionDeadLetterQueue021BAF18-${suffix}`);
  const queue = await createQueue(sqs, `${opts.stack}-SubscriptionQueueD4E40B59-${suffix}`, {
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: opts.maxReceiveCount ?? 2,
    }),
  });
  const rule = `${opts.stack}-SubscriptionRule1A2B3C4D-${suffix.toUpperCase().slice(0, 13)}`;
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: rule,
      EventBusName: opts.bus,
      EventPattern: JSON.stringify({
        source: [{ prefix: 'shop.' }],
        'detail-type': opts.detailTypes,
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: rule,
      EventBusName: opts.bus,
      Targets: [{ Id: 'Target0', Arn: queue.arn, DeadLetterConfig: { Arn: dlq.arn } }],
    }),
  );
  return { rule, ruleArn: RuleArn!, queue, dlq };
}

export async function createBusWithArchive(
  events: EventBridgeClient,
  busName: string,
  archiveName: string,
): Promise<{ busArn: string; archiveArn: string }> {
  const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: busName }));
  const { ArchiveArn } = await events.send(
    new CreateArchiveCommand({
      ArchiveName: archiveName,
      EventSourceArn: EventBusArn,
      EventPattern: JSON.stringify({ source: [{ prefix: 'shop.' }] }),
    }),
  );
  return { busArn: EventBusArn!, archiveArn: ArchiveArn! };
}

export interface ShopEvent {
  source: string;
  detailType: string;
  eventId?: string;
  correlationId: string;
  causationId: string;
  data?: Record<string, unknown>;
}

/** Puts events in the shop's envelope; returns their metadata.eventIds. */
export async function putShopEvents(
  events: EventBridgeClient,
  bus: string,
  list: readonly ShopEvent[],
): Promise<string[]> {
  const ids = list.map((e) => e.eventId ?? randomUUID());
  for (let i = 0; i < list.length; i += 10) {
    const chunk = list.slice(i, i + 10);
    const out = await events.send(
      new PutEventsCommand({
        Entries: chunk.map((e, j) => ({
          EventBusName: bus,
          Source: e.source,
          DetailType: e.detailType,
          Detail: JSON.stringify({
            metadata: {
              eventId: ids[i + j],
              occurredAt: new Date().toISOString(),
              schemaVersion: 1,
              correlationId: e.correlationId,
              causationId: e.causationId,
            },
            data: e.data ?? {},
          }),
        })),
      }),
    );
    if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
  }
  return ids;
}

/** Receives and deletes everything visible in `queue`, until it is empty. */
export async function drain(sqs: SQSClient, queue: Queue): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!Messages?.length) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

/** Waits until `check` passes (deliveries are asynchronous), or fails with its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export function eventIdsOf(messages: readonly Message[]): string[] {
  return messages
    .map(
      (m) =>
        (JSON.parse(m.Body!) as { detail: { metadata: { eventId: string } } }).detail.metadata
          .eventId,
    )
    .sort();
}
