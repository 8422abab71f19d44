/**
 * Which keys and common prefixes one page of ListObjects(V2) holds: keys in
 * UTF-8 binary order, after a marker, under a prefix, rolled up at the
 * delimiter, at most `maxKeys` entries (a common prefix counts as one).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix on the page: where the next page starts after. */
  last: string | undefined;
}

export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function listPage(
  sortedKeys: readonly string[],
  o: { prefix: string; delimiter: string; after: string; maxKeys: number },
): ListPage {
  const page: ListPage = { keys: [], commonPrefixes: [], isTruncated: false, last: undefined };
  // After a common prefix, every key under it was rolled up already.
  const afterIsPrefix = o.delimiter !== '' && o.after.endsWith(o.delimiter);
  let count = 0;
  for (const key of sortedKeys) {
    if (!key.startsWith(o.prefix)) continue;
    if (o.after !== '' && (byUtf8(key, o.after) <= 0 || (afterIsPrefix && key.startsWith(o.after))))
      continue;
    let entry = key;
    let isPrefix = false;
    if (o.delimiter !== '') {
      const at = key.indexOf(o.delimiter, o.prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + o.delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && entry === page.last) continue;
    if (count === o.maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (isPrefix) page.commonPrefixes.push(entry);
    else page.keys.push(entry);
    page.last = entry;
    count++;
  }
  return page;
}
