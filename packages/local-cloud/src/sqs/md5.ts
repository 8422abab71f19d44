import { createHash } from 'node:crypto';

/** A message attribute as stored: binary values already decoded from base64. */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5 of message attributes as SQS computes it (and clients check it):
 * for each attribute sorted by name, length-prefixed name, length-prefixed
 * data type, a transport byte (1 string, 2 binary), then the length-prefixed value.
 */
export function md5OfAttributes(attrs: Record<string, AttributeValue>): string | undefined {
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const a = attrs[name]!;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(a.DataType, 'utf8')));
    if (a.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(a.BinaryValue));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(a.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}
