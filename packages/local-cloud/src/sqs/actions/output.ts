import type { Message, SendMessageResult } from '@aws-sdk/client-sqs';
import { md5Hex, md5OfAttributes, type AttributeValue } from '../md5.js';
import { md5OfSystemAttributes, type MessageContent } from '../message.js';
import type { Delivery, SendOutcome } from '../queue.js';

const SENDER_ID = 'AIDALOCALCLOUDSENDER';
const MESSAGE_SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
] as const;

/** A received message as the JSON protocol carries it: binary attribute values in base64. */
export type WireMessage = Omit<Message, 'MessageAttributes'> & {
  MessageAttributes?: Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: string }
  >;
};

export function sendResult(sent: SendOutcome, c: MessageContent): SendMessageResult {
  return {
    MessageId: sent.id,
    SequenceNumber: sent.sequenceNumber,
    MD5OfMessageBody: md5Hex(c.body),
    MD5OfMessageAttributes: md5OfAttributes(c.attributes),
    MD5OfMessageSystemAttributes: md5OfSystemAttributes(c.traceHeader),
  };
}

export function toMessage(
  d: Delivery,
  systemNames: string[],
  attributeNames: string[],
): WireMessage {
  const m = d.message;
  const system: Record<string, string | undefined> = {
    SenderId: SENDER_ID,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(d.receiveCount),
    ApproximateFirstReceiveTimestamp: String(d.firstReceiveAt),
    AWSTraceHeader: m.traceHeader,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
    MessageGroupId: m.messageGroupId,
    MessageDeduplicationId: m.deduplicationId,
    SequenceNumber: m.sequenceNumber,
  };
  const all = systemNames.includes('All');
  const attributes: Record<string, string> = {};
  for (const name of MESSAGE_SYSTEM_ATTRIBUTES) {
    const v = system[name];
    if (v !== undefined && (all || systemNames.includes(name))) attributes[name] = v;
  }
  const picked: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(m.attributes)) {
    if (attributeNames.some((p) => attributeMatches(p, name))) picked[name] = v;
  }
  const messageAttributes: NonNullable<WireMessage['MessageAttributes']> = {};
  for (const [name, v] of Object.entries(picked)) {
    messageAttributes[name] = {
      DataType: v.DataType,
      StringValue: v.StringValue,
      BinaryValue: v.BinaryValue?.toString('base64'),
    };
  }
  return {
    MessageId: m.id,
    ReceiptHandle: d.receipt,
    MD5OfBody: m.md5Body,
    Body: m.body,
    Attributes: nonEmpty(attributes),
    MD5OfMessageAttributes: md5OfAttributes(picked),
    MessageAttributes: nonEmpty(messageAttributes),
  };
}

/** `All`, `.*` and `*` mean every attribute; `Hel.*` every name starting `Hel` (`Hello`, `Help.Me`). */
function attributeMatches(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*' || pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -2));
  return pattern === name;
}

/** AWS leaves out an empty map. */
export function nonEmpty<T extends object>(o: T): T | undefined {
  return Object.keys(o).length ? o : undefined;
}
