/**
 * Lifecycle rules and when they expire objects:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
import { describe, expect, it } from 'vitest';
import type { S3Error } from '../../src/s3/errors.js';
import { expiresAt, objectExpired, parseLifecycle, uploadExpired } from '../../src/s3/lifecycle.js';
import { S3Store } from '../../src/s3/store.js';
import { parseXml } from '../../src/s3/xml.js';

const rules = (body: string) =>
  parseLifecycle(parseXml(`<LifecycleConfiguration>${body}</LifecycleConfiguration>`));
const day = 86_400_000;

describe('expiresAt', () => {
  it('adds the days and rounds up to the next midnight UTC', () => {
    expect(new Date(expiresAt(new Date('2026-01-15T10:30:00Z'), 7)).toISOString()).toBe(
      '2026-01-23T00:00:00.000Z',
    );
    expect(new Date(expiresAt(new Date('2026-01-15T00:00:00Z'), 1)).toISOString()).toBe(
      '2026-01-16T00:00:00.000Z',
    );
  });
});

describe('parseLifecycle', () => {
  it('reads Filter/Prefix, And with sizes, the legacy Prefix, Expiration and AbortIncompleteMultipartUpload', () => {
    const [a, b, c] = rules(
      '<Rule><ID>a</ID><Filter><Prefix>exports/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>' +
        '<Rule><Filter><And><Prefix>big/</Prefix><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Status>Disabled</Status>' +
        '<Expiration><Date>2027-01-01T00:00:00Z</Date></Expiration></Rule>' +
        '<Rule><Prefix>tmp/</Prefix><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>',
    );
    expect(a).toMatchObject({ id: 'a', enabled: true, prefix: 'exports/', expirationDays: 7 });
    expect(b).toMatchObject({
      enabled: false,
      prefix: 'big/',
      objectSizeGreaterThan: 10,
      expirationDate: new Date('2027-01-01T00:00:00Z'),
    });
    expect(c).toMatchObject({ prefix: 'tmp/', abortIncompleteDays: 1, expirationDays: undefined });
  });

  it('refuses what S3 refuses, naming it', () => {
    const bad = (body: string) => {
      try {
        rules(body);
      } catch (e) {
        return `${(e as S3Error).code}: ${(e as S3Error).message}`;
      }
      return 'accepted';
    };
    expect(
      bad('<Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>'),
    ).toMatch(/^InvalidArgument: 'Days' must be a positive integer/);
    expect(bad('<Rule><Status>On</Status></Rule>')).toMatch(
      /^MalformedXML: .*Status must be Enabled or Disabled, received 'On'/,
    );
    expect(
      bad(
        '<Rule><ID>x</ID><Status>Enabled</Status></Rule><Rule><ID>x</ID><Status>Enabled</Status></Rule>',
      ),
    ).toMatch(/^InvalidArgument: Rule ID must be unique/);
    expect(bad('')).toMatch(/^MalformedXML/);
  });
});

describe('expiration', () => {
  const [rule] = rules(
    '<Rule><Filter><Prefix>exports/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>',
  );
  const created = new Date('2026-03-01T12:00:00Z');

  it('expires matching objects from the rounded day on, and nothing outside the prefix', () => {
    const due = expiresAt(created, 7);
    expect(objectExpired(rule!, 'exports/a.csv', 10, created, due - 1)).toBe(false);
    expect(objectExpired(rule!, 'exports/a.csv', 10, created, due)).toBe(true);
    expect(objectExpired(rule!, 'other/a.csv', 10, created, due + 30 * day)).toBe(false);
    expect(uploadExpired(rule!, 'exports/a.csv', created, due + 30 * day)).toBe(false);
  });

  it('is applied by the store sweep at an injected time, removing the bodies', () => {
    const store = new S3Store();
    try {
      store.createBucket('b', created);
      store.bucket('b').lifecycle = [rule!];
      const info = { contentType: 'text/csv', metadata: {}, headers: {} };
      for (const key of ['exports/a.csv', 'keep.csv'])
        store.put('b', key, { file: store.incomingFile(), size: 0 }, '"e"', info, created);
      expect(store.sweep(created.getTime() + 6 * day)).toEqual({
        expiredObjects: 0,
        abortedUploads: 0,
      });
      expect(store.sweep(created.getTime() + 8 * day)).toEqual({
        expiredObjects: 1,
        abortedUploads: 0,
      });
      expect(store.keys('b')).toEqual(['keep.csv']);
    } finally {
      store.close();
    }
  });
});
