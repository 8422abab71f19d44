import { invalidValue, missing, sqsError } from './errors.js';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.js';

/** A message in a queue. Times are epoch milliseconds. */
export interface StoredMessage {
  id: string;
  body: string;
  md5Body: string;
  attributes: Record<string, AttributeValue>;
  md5Attributes?: string;
  traceHeader?: string;
  messageGroupId?: string;
  sentAt: number;
  /** Until then the message is delayed (never received) or in flight (received). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The latest receipt handle; set once received. */
  receipt?: string;
  /** Set when the redrive policy moved the message into this (dead-letter) queue. */
  deadLetterSourceArn?: string;
}

/** A send request's content, validated. */
export interface MessageContent {
  body: string;
  attributes: Record<string, AttributeValue>;
  traceHeader?: string;
  delaySeconds?: number;
  messageGroupId?: string;
}

// The characters SQS accepts in a body or string attribute (XML 1.0's Char production).
// eslint-disable-next-line no-control-regex
const INVALID_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..{1,250})?$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Validates a SendMessage input (or a batch entry) as SQS does. */
export function parseContent(input: Record<string, unknown>, maxSize: number): MessageContent {
  const body = input['MessageBody'];
  if (body === undefined || body === null || body === '') throw missing('MessageBody');
  if (typeof body !== 'string') {
    throw invalidValue('MessageBody', typeof body, 'MessageBody must be a string.');
  }
  if (INVALID_CHARS.test(body)) {
    throw sqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  const attributes = parseAttributes(input['MessageAttributes']);
  const system = parseAttributes(input['MessageSystemAttributes'], true);
  const size = Buffer.byteLength(body) + attributesSize(attributes);
  if (size > maxSize) {
    throw invalidValue(
      'MessageBody',
      `(${size} bytes)`,
      `Message must be shorter than ${maxSize} bytes (body plus message attributes).`,
    );
  }
  const content: MessageContent = { body, attributes };
  if (system['AWSTraceHeader']) content.traceHeader = system['AWSTraceHeader'].StringValue;
  const delay = input['DelaySeconds'];
  if (delay !== undefined && delay !== null) {
    const n = Number(delay);
    if (!Number.isInteger(n) || n < 0 || n > 900) {
      throw invalidValue('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
    }
    content.delaySeconds = n;
  }
  if (input['MessageDeduplicationId'] !== undefined) {
    throw invalidValue(
      'MessageDeduplicationId',
      input['MessageDeduplicationId'],
      'The request includes a parameter that is not valid for this queue type.',
    );
  }
  if (typeof input['MessageGroupId'] === 'string') content.messageGroupId = input['MessageGroupId'];
  return content;
}

/** A new message from validated content. */
export function newMessage(
  id: string,
  c: MessageContent,
  now: number,
  queueDelaySeconds: number,
): StoredMessage {
  return {
    id,
    body: c.body,
    md5Body: md5Hex(c.body),
    attributes: c.attributes,
    md5Attributes: md5OfAttributes(c.attributes),
    traceHeader: c.traceHeader,
    messageGroupId: c.messageGroupId,
    sentAt: now,
    visibleAt: now + (c.delaySeconds ?? queueDelaySeconds) * 1000,
    receiveCount: 0,
  };
}

/** MD5 of the system attributes a sender set (only AWSTraceHeader exists). */
export function md5OfSystemAttributes(traceHeader: string | undefined): string | undefined {
  return traceHeader === undefined
    ? undefined
    : md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } });
}

function parseAttributes(raw: unknown, system = false): Record<string, AttributeValue> {
  const param = system ? 'MessageSystemAttributes' : 'MessageAttributes';
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidValue(param, JSON.stringify(raw), `${param} must be a map of name to value.`);
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 10) {
    throw invalidValue(
      param,
      `(${entries.length} attributes)`,
      'A message can have at most 10 attributes.',
    );
  }
  const out: Record<string, AttributeValue> = {};
  for (const [name, v] of entries) {
    if (system && name !== 'AWSTraceHeader') {
      throw invalidValue(
        param,
        name,
        'The only supported message system attribute is AWSTraceHeader.',
      );
    }
    checkAttributeName(name);
    const value = (v ?? {}) as Record<string, unknown>;
    const type = value['DataType'];
    if (typeof type !== 'string' || !DATA_TYPE.test(type)) {
      throw invalidValue(
        'MessageAttributes',
        name,
        `The message attribute '${name}' has an invalid message attribute type '${String(type)}'; use String, Number or Binary (optionally with a .suffix).`,
      );
    }
    if (value['StringListValues'] !== undefined || value['BinaryListValues'] !== undefined) {
      throw invalidValue(
        'MessageAttributes',
        name,
        'StringListValues and BinaryListValues are reserved by SQS and not supported.',
      );
    }
    if (type.startsWith('Binary')) {
      const b = value['BinaryValue'];
      const bytes = typeof b === 'string' ? Buffer.from(b, 'base64') : undefined;
      if (!bytes || bytes.length === 0) {
        throw invalidValue(
          'MessageAttributes',
          name,
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
        );
      }
      out[name] = { DataType: type, BinaryValue: bytes };
    } else {
      const s = value['StringValue'];
      if (typeof s !== 'string' || s === '') {
        throw invalidValue(
          'MessageAttributes',
          name,
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
        );
      }
      if (INVALID_CHARS.test(s)) {
        throw sqsError(
          'InvalidMessageContents',
          `Invalid characters found in message attribute '${name}'.`,
        );
      }
      if (type.startsWith('Number') && !NUMBER.test(s.trim())) {
        throw invalidValue(
          'MessageAttributes',
          name,
          `Can't cast the value of message attribute '${name}' to a number.`,
        );
      }
      out[name] = { DataType: type, StringValue: s };
    }
  }
  return out;
}

function checkAttributeName(name: string): void {
  const lower = name.toLowerCase();
  if (
    !ATTRIBUTE_NAME.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    lower.startsWith('aws.') ||
    lower.startsWith('amazon.')
  ) {
    throw invalidValue(
      'MessageAttributes',
      name,
      'Message attribute names may use A-Z, a-z, 0-9, _, - and . (not at the start or end, never twice in a row), at most 256 characters, and must not start with AWS. or Amazon.',
    );
  }
}

function attributesSize(attrs: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, a] of Object.entries(attrs)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    size += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '');
  }
  return size;
}
