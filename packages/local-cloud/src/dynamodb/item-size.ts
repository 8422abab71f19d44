/**
 * The size DynamoDB bills an item at, by the rules its developer guide states ("Item sizes and
 * formats"): each attribute is its name's UTF-8 bytes plus its value's; a string its UTF-8
 * bytes, a binary its bytes, a number about one byte per two significant digits plus one, a
 * boolean or null one byte, a list or map 3 bytes plus one byte and the size of each element,
 * a set the sum of its elements.
 */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(v as string);
    case 'N':
      return numberSize(v as string);
    case 'B':
      return Buffer.byteLength(v as string, 'base64');
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((s, e) => s + utf8(e), 0);
    case 'NS':
      return (v as string[]).reduce((s, e) => s + numberSize(e), 0);
    case 'BS':
      return (v as string[]).reduce((s, e) => s + Buffer.byteLength(e, 'base64'), 0);
    case 'L':
      return (v as AttributeValue[]).reduce((s, e) => s + 1 + valueSize(e), 3);
    case 'M':
      return Object.entries(v as Item).reduce((s, [k, e]) => s + 1 + utf8(k) + valueSize(e), 3);
    default:
      return 0;
  }
}

function numberSize(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  const significant = digits.replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(significant.length, 1) / 2) + 1;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Write request units for an item of `bytes`: one per 1 KB, rounded up, at least one. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
