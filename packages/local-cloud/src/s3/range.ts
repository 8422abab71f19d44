/**
 * The `Range` header of GetObject: one `bytes=` range (S3 serves no
 * multi-range requests), as RFC 9110 section 14.1.2 and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
 * describe. A header S3 cannot parse is ignored (the whole object is
 * served); a range past the end is 416 InvalidRange.
 */
import { S3Error } from './errors.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
    if (suffix === 0) start = size;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) {
    throw new S3Error(
      'InvalidRange',
      'The requested range is not satisfiable',
      416,
      {
        RangeRequested: header,
        ActualObjectSize: String(size),
      },
      { 'content-range': `bytes */${size}` },
    );
  }
  return { start, end };
}
