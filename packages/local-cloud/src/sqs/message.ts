import { invalidParameters, invalidValue, missing, sqsError } from './errors.js';
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
  /** FIFO queues: the deduplication id used (given, or the body's SHA-256) and the sequence number. */
  deduplicationId?: string;
  sequenceNumber?: string;
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
  /** FIFO only, as given (content-based deduplication fills it in later). */
  deduplicationId?: string;
}

// The characters SQS accepts in a body or string attribute (XML 1.0's Char production).
// eslint-disable-next-line no-control-regex
const INVALID_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..{1,250})?$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** MessageGroupId: 1 to 128 of a-z, A-Z, 0-9 and punctuation (SendMessage API reference). */
const MESSAGE_GROUP_ID = /^[\x21-\x7E]{1,128}$/;
const INVALID_CHARS_REASON =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

/** What the caller sent that is not in the body: the HTTP request's X-Amzn-Trace-Id. */
export interface SendContext {
  traceHeader?: string;
}

/**
 * Validates a SendMessage input (or a batch entry) as SQS does, for a
 * standard queue. FIFO rules are checked on top of this by the FIFO queue.
 */
export function parseContent(
  input: Record<string, unknown>,
  maxSize: number,
  context: SendContext = {},
  fifo = false,
): MessageContent {
  const body = input['MessageBody'];
  if (body === undefined || body === null || body === '') throw missing('MessageBody');
  if (typeof body !== 'string') {
    throw invalidValue('MessageBody', typeof body, 'MessageBody must be a string.');
  }
  if (INVALID_CHARS.test(body)) {
    throw sqsError('InvalidMessageContents', INVALID_CHARS_REASON);
  }
  const attributes = parseAttributes(input['MessageAttributes']);
  const system = parseAttributes(input['MessageSystemAttributes'], true);
  const size = Buffer.byteLength(body) + attributesSize(attributes);
  if (size > maxSize) {
    throw invalidParameters(
      `Message must be shorter than ${maxSize} bytes. (local cloud: it has ${size} bytes, body plus message attributes; the queue's MaximumMessageSize is ${maxSize}.)`,
    );
  }
  const content: MessageContent = { body, attributes };
  // SQS takes the trace header from the HTTP request when the sender sets no system attribute.
  const trace = system['AWSTraceHeader']?.StringValue ?? context.traceHeader;
  if (trace) content.traceHeader = trace;
  const delay = input['DelaySeconds'];
  if (fifo && delay !== undefined && delay !== null) {
    // FIFO queues delay only per queue (AWS's wording, grammar included).
    throw invalidValue(
      'DelaySeconds',
      delay,
      'The request include parameter that is not valid for this queue type.',
    );
  }
  if (delay !== undefined && delay !== null) {
    const n = Number(delay);
    if (!Number.isInteger(n) || n < 0 || n > 900) {
      throw invalidValue('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
    }
    content.delaySeconds = n;
  }
  if (!fifo && input['MessageDeduplicationId'] !== undefined) {
    // AWS's own wording, grammar included.
    throw invalidValue(
      'MessageDeduplicationId',
      input['MessageDeduplicationId'],
      'The request include parameter that is not valid for this queue type.',
    );
  }
  const group = input['MessageGroupId'];
  if (fifo && (group === undefined || group === null)) throw missing('MessageGroupId');
  const dedup = input['MessageDeduplicationId'];
  if (fifo && dedup !== undefined && dedup !== null) {
    if (typeof dedup !== 'string' || !MESSAGE_GROUP_ID.test(dedup)) {
      throw invalidValue(
        'MessageDeduplicationId',
        dedup,
        'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    content.deduplicationId = dedup;
  }
  if (group !== undefined && group !== null) {
    // Standard queues take a MessageGroupId (fair queues) but validate it as FIFO queues do.
    if (typeof group !== 'string' || !MESSAGE_GROUP_ID.test(group)) {
      throw invalidValue(
        'MessageGroupId',
        group,
        'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    content.messageGroupId = group;
  }
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
    deduplicationId: c.deduplicationId,
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
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String. (local cloud: received '${String(type)}'.)`,
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
      // A body with such characters is InvalidMessageContents; an attribute value is a parameter.
      if (INVALID_CHARS.test(s)) {
        throw invalidValue(
          'MessageAttributes',
          name,
          `${INVALID_CHARS_REASON} (in the value of message attribute '${name}').`,
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

/**
 * The bytes an entry counts towards a batch's 1 MiB: body plus attribute
 * names, types and values, as SendMessage counts a message, measured on the
 * raw entry because the batch limit is checked before any entry is.
 */
export function rawEntrySize(input: Record<string, unknown>): number {
  const body = input['MessageBody'];
  let size = typeof body === 'string' ? Buffer.byteLength(body) : 0;
  const attrs = input['MessageAttributes'];
  if (typeof attrs !== 'object' || attrs === null) return size;
  for (const [name, raw] of Object.entries(attrs as Record<string, unknown>)) {
    const v = (raw ?? {}) as Record<string, unknown>;
    size += Buffer.byteLength(name) + Buffer.byteLength(String(v['DataType'] ?? ''));
    if (typeof v['StringValue'] === 'string') size += Buffer.byteLength(v['StringValue']);
    if (typeof v['BinaryValue'] === 'string') {
      size += Buffer.from(v['BinaryValue'], 'base64').length;
    }
  }
  return size;
}

function attributesSize(attrs: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, a] of Object.entries(attrs)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    size += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '');
  }
  return size;
}
