/** One page of ListObjectsV2: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
import { describe, expect, it } from 'vitest';
import { byUtf8, listPage } from '../../src/s3/listing.js';

const keys = ['a/1', 'a/2', 'a/b/3', 'b', 'c/1', 'c/2', 'd'].sort(byUtf8);
const page = (o: Partial<Parameters<typeof listPage>[1]>) =>
  listPage(keys, { prefix: '', delimiter: '', after: '', maxKeys: 1000, ...o });

describe('listPage', () => {
  it('returns every key in order when nothing limits it', () => {
    expect(page({})).toEqual({ keys, commonPrefixes: [], isTruncated: false, last: 'd' });
  });

  it('rolls up at the delimiter, a common prefix counting once toward max-keys', () => {
    const first = page({ delimiter: '/', maxKeys: 2 });
    expect(first).toEqual({ keys: ['b'], commonPrefixes: ['a/'], isTruncated: true, last: 'b' });
    // The next page starts after the last entry; after a common prefix, skips all of it.
    const second = page({ delimiter: '/', maxKeys: 2, after: first.last });
    expect(second).toEqual({ keys: ['d'], commonPrefixes: ['c/'], isTruncated: false, last: 'd' });
    expect(page({ delimiter: '/', after: 'a/' }).commonPrefixes).toEqual(['c/']);
  });

  it('rolls up below a prefix and starts after a key', () => {
    expect(page({ prefix: 'a/', delimiter: '/' })).toMatchObject({
      keys: ['a/1', 'a/2'],
      commonPrefixes: ['a/b/'],
    });
    expect(page({ after: 'c/1' }).keys).toEqual(['c/2', 'd']);
  });

  it('is not truncated when the page ends exactly at the last key', () => {
    expect(page({ maxKeys: 7 }).isTruncated).toBe(false);
    expect(page({ maxKeys: 6 }).isTruncated).toBe(true);
  });

  it('orders keys by UTF-8 bytes, as S3 does, not UTF-16 units', () => {
    // U+FF5E is one UTF-16 unit but sorts after U+1F600 (a surrogate pair) in UTF-16; not in UTF-8.
    expect(['\u{1F600}', '\uFF5E'].sort(byUtf8)).toEqual(['\uFF5E', '\u{1F600}']);
  });
});
