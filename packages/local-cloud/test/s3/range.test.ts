/** GetObject's Range (RFC 9110 14.1.2): https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html */
import { describe, expect, it } from 'vitest';
import { S3Error } from '../../src/s3/errors.js';
import { parseRange } from '../../src/s3/range.js';

describe('parseRange', () => {
  it('reads first-last, open-ended and suffix ranges, capped at the end', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('ignores what it cannot parse, as S3 does (the whole object is served)', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('items=0-9', 100)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseRange('bytes=9-0', 100)).toBeUndefined();
  });

  it('answers 416 InvalidRange, with Content-Range bytes */size, past the end', () => {
    try {
      parseRange('bytes=100-', 100);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(S3Error);
      expect((e as S3Error).status).toBe(416);
      expect((e as S3Error).headers).toEqual({ 'content-range': 'bytes */100' });
    }
  });
});
