import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import type { AwsTarget } from '../shared/aws.js';
import { pause } from '../shared/cli.js';
import type { QueueInfo } from './queues.js';

export interface MovedByHand {
  readonly moved: number;
  /** Messages received but not sent (SendMessageBatch refused them): they stay in the source. */
  readonly failed: readonly { readonly messageId: string; readonly reason: string }[];
}

/**
 * Moves every visible message of `source` to `destination` by receive, send, delete, for a
 * dead-letter queue that StartMessageMoveTask refuses: SQS only moves out of a queue some
 * RedrivePolicy names, and a schedule's DeadLetterConfig is none. A message is deleted only once
 * its copy is sent, so a crash in between leaves a duplicate (the consumers are idempotent), never
 * a loss. Bodies and message attributes go across as they are.
 */
export async function moveByHand(
  target: AwsTarget,
  source: QueueInfo,
  destination: QueueInfo,
  opts: {
    rate?: number;
    signal?: AbortSignal;
    onProgress?: (moved: number) => void;
  } = {},
): Promise<MovedByHand> {
  let moved = 0;
  const failed: { messageId: string; reason: string }[] = [];
  const seenFailing = new Set<string>();
  for (;;) {
    if (opts.signal?.aborted) break;
    const { Messages } = await target.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        // Long enough to send and delete the batch; a refused one comes back after it.
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    // A message that failed once and shows up again ends the move: it would fail forever.
    const batch = (Messages ?? []).filter((m) => !seenFailing.has(m.MessageId!));
    if (batch.length === 0) break;
    const sent = await target.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: destination.url,
        Entries: batch.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && { MessageAttributes: sendable(m.MessageAttributes) }),
        })),
      }),
    );
    for (const f of sent.Failed ?? []) {
      const m = batch[Number(f.Id)]!;
      seenFailing.add(m.MessageId!);
      failed.push({ messageId: m.MessageId!, reason: `${f.Code}: ${f.Message ?? ''}`.trim() });
    }
    const done: Message[] = (sent.Successful ?? []).map((s) => batch[Number(s.Id)]!);
    if (done.length > 0) {
      await target.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: source.url,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    moved += done.length;
    opts.onProgress?.(moved);
    if (opts.rate !== undefined) await pause((batch.length / opts.rate) * 1000, opts.signal);
  }
  return { moved, failed };
}

/** Received attributes as SendMessage takes them (only the value fields). */
function sendable(
  attrs: Record<string, MessageAttributeValue>,
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = {
      DataType: a.DataType,
      ...(a.StringValue !== undefined && { StringValue: a.StringValue }),
      ...(a.BinaryValue !== undefined && { BinaryValue: a.BinaryValue }),
    };
  }
  return out;
}
