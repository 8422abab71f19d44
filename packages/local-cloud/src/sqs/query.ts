/**
 * SQS over the query protocol (form-encoded `Action=...&Version=2012-11-05`,
 * XML answers), as the AWS CLI 2.9 and older SDKs speak it. Requests are
 * translated to the JSON protocol's input shape and answers back to XML, so
 * both protocols run the same service code. Element names follow the SQS
 * service model's `xmlName` / flattened traits.
 */
import type { QueryService } from '../edge/server.js';
import { xmlEscape } from '../edge/protocols.js';
import type { SqsService } from './service.js';

export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

type Tree = { [key: string]: Tree | string };
type Input = Record<string, unknown>;

/** Flattened maps on the wire: `Attribute.1.Name=...&Attribute.1.Value=...`. */
const MAPS: Record<string, { to: string; key: string; value: string }> = {
  Attribute: { to: 'Attributes', key: 'Name', value: 'Value' },
  MessageAttribute: { to: 'MessageAttributes', key: 'Name', value: 'Value' },
  MessageSystemAttribute: { to: 'MessageSystemAttributes', key: 'Name', value: 'Value' },
  Tag: { to: 'Tags', key: 'Key', value: 'Value' },
};

/** Flattened lists on the wire: `AttributeName.1=...`. */
const LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  TagKey: 'TagKeys',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  StringListValue: 'StringListValues',
  BinaryListValue: 'BinaryListValues',
};

const LIST_MEMBERS: Record<string, string> = {
  QueueUrls: 'QueueUrl',
  queueUrls: 'QueueUrl',
  Messages: 'Message',
  Failed: 'BatchResultErrorEntry',
  Results: 'ListMessageMoveTasksResultEntry',
};

const MAP_MEMBERS: Record<string, { entry: string; key: string; value: string }> = {
  Attributes: { entry: 'Attribute', key: 'Name', value: 'Value' },
  MessageAttributes: { entry: 'MessageAttribute', key: 'Name', value: 'Value' },
  Tags: { entry: 'Tag', key: 'Key', value: 'Value' },
};

/** Actions whose query response has no `<...Result>` element. */
const NO_RESULT = new Set([
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'SetQueueAttributes',
  'ChangeMessageVisibility',
  'TagQueue',
  'UntagQueue',
  'AddPermission',
  'RemovePermission',
]);

/** Parameters that carry the protocol or a signature, not input. */
const ENVELOPE = /^(Action|Version|Signature.*|AWSAccessKeyId|Timestamp|Expires|X-Amz-.*)$/;

const QUEUE_PATH = /^\/\d{12}\/[A-Za-z0-9_.-]{1,80}\/?$/;

export class SqsQueryService implements QueryService {
  readonly service = 'SQS';
  readonly signingName = 'sqs';
  readonly xmlns = SQS_XMLNS;

  constructor(
    private readonly sqs: SqsService,
    private readonly endpoint: string,
  ) {}

  hasAction(action: string): boolean {
    return this.sqs.hasAction(action);
  }

  ownsPath(path: string): boolean {
    return QUEUE_PATH.test(path);
  }

  async handleQuery(
    action: string,
    params: URLSearchParams,
    path: string,
    requestId: string,
    headers?: Record<string, string | string[] | undefined>,
  ): Promise<string> {
    const input = decodeQuery(action, params);
    // Older clients post to the queue URL instead of naming it.
    if (input['QueueUrl'] === undefined && this.ownsPath(path)) {
      input['QueueUrl'] = `${this.endpoint}${path.replace(/\/$/, '')}`;
    }
    const result = await this.sqs.handle(action, input, { headers });
    return encodeQuery(action, result, requestId);
  }
}

export function decodeQuery(action: string, params: URLSearchParams): Input {
  const tree: Tree = {};
  for (const [key, value] of params) {
    if (ENVELOPE.test(key)) continue;
    const path = key.split('.');
    let node = tree;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = typeof next === 'object' ? next : (node[part] = {});
    }
    node[path.at(-1)!] = value;
  }
  const input = struct(tree);
  // CreateQueue names its tag map `tags`, TagQueue `Tags`; both are `Tag.N` on the wire.
  if (action === 'CreateQueue' && input['Tags'] !== undefined) {
    input['tags'] = input['Tags'];
    delete input['Tags'];
  }
  return input;
}

function struct(tree: Tree): Input {
  const out: Input = {};
  for (const [key, node] of Object.entries(tree)) {
    const map = MAPS[key];
    const list = LISTS[key];
    if (map && typeof node === 'object') {
      const m: Input = {};
      for (const entry of indexed(node)) {
        if (typeof entry !== 'object') continue;
        const k = entry[map.key];
        const v = entry[map.value];
        if (typeof k === 'string') m[k] = typeof v === 'object' ? struct(v) : v;
      }
      out[map.to] = m;
    } else if (list) {
      const items = typeof node === 'object' ? indexed(node) : [node];
      out[list] = items.map((x) => (typeof x === 'object' ? struct(x) : x));
    } else {
      out[key] = typeof node === 'object' ? struct(node) : node;
    }
  }
  return out;
}

/** Members `1`, `2`, ... of a flattened list or map, in index order. */
function indexed(node: Tree): (Tree | string)[] {
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k]!);
}

export function encodeQuery(action: string, result: unknown, requestId: string): string {
  const body = NO_RESULT.has(action)
    ? ''
    : `<${action}Result>${fields(result as Input, action)}</${action}Result>`;
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${SQS_XMLNS}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function fields(o: Input | undefined, action: string): string {
  let xml = '';
  for (const [k, v] of Object.entries(o ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      const member = k === 'Successful' ? `${action}ResultEntry` : (LIST_MEMBERS[k] ?? k);
      for (const item of v) xml += element(member, item, action);
    } else if (MAP_MEMBERS[k] && typeof v === 'object') {
      const m = MAP_MEMBERS[k];
      for (const [mk, mv] of Object.entries(v as Input)) {
        if (mv === undefined) continue;
        xml += `<${m.entry}><${m.key}>${xmlEscape(mk)}</${m.key}>${element(m.value, mv, action)}</${m.entry}>`;
      }
    } else {
      xml += element(k, v, action);
    }
  }
  return xml;
}

function element(name: string, v: unknown, action: string): string {
  const inner =
    typeof v === 'object' && v !== null ? fields(v as Input, action) : xmlEscape(String(v));
  return `<${name}>${inner}</${name}>`;
}
