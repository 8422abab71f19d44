/**
 * S3 through the AWS SDK v3 (client-s3, lib-storage, s3-request-presigner), as
 * the S3 API reference describes each answer:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range, If-Match, If-None-Match)
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

const MiB = 1024 * 1024;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let cloud: LocalCloud;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false, s3: { sweepIntervalMs: 0 } });
  s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  s3?.destroy();
  await cloud?.stop();
});

async function bucket(): Promise<string> {
  const name = `conformance-${++n}-${process.pid}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** The error the SDK threw, with its status. */
async function failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    if (e instanceof S3ServiceException) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

function xmlText(xml: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

describe('objects', () => {
  it('puts, gets and heads an object with its metadata; ETag is the MD5', async () => {
    const b = await bucket();
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: 'dir/a b+c.csv',
        Body: 'id,total\n1,100\n',
        ContentType: 'text/csv',
        ContentDisposition: 'attachment; filename="export.csv"',
        Metadata: { exportid: 'exp_1' },
      }),
    );
    expect(put.ETag).toBe(`"${md5(Buffer.from('id,total\n1,100\n')).toString('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'dir/a b+c.csv' }));
    expect(await got.Body!.transformToString()).toBe('id,total\n1,100\n');
    expect(got.ContentType).toBe('text/csv');
    expect(got.ContentDisposition).toBe('attachment; filename="export.csv"');
    expect(got.Metadata).toEqual({ exportid: 'exp_1' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dir/a b+c.csv' }));
    expect(head.ContentLength).toBe(15);
    expect(head.ETag).toBe(put.ETag);
    // The SDK sent a CRC32 and asks for it back (ChecksumMode); it then checks the body against it.
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32('id,total\n1,100\n'));
    expect(put.ChecksumCRC32).toBe(crc.toString('base64'));
    const checked = await s3.send(
      new GetObjectCommand({ Bucket: b, Key: 'dir/a b+c.csv', ChecksumMode: 'ENABLED' }),
    );
    expect(checked.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(await checked.Body!.transformToString()).toBe('id,total\n1,100\n');
  });

  it('answers a Range with 206 and Content-Range; a range past the end is 416 InvalidRange', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe('bytes 2-5/10');
    expect(await part.Body!.transformToString()).toBe('2345');
    const tail = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const open = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=8-' }));
    expect(await open.Body!.transformToString()).toBe('89');
    const err = await failure(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=10-' })),
    );
    expect(err.name).toBe('InvalidRange');
    expect(err.$metadata.httpStatusCode).toBe(416);
  });

  it('honours If-None-Match (304) and If-Match (412 PreconditionFailed)', async () => {
    const b = await bucket();
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'v1' }));
    const notModified = await failure(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', IfNoneMatch: ETag })),
    );
    expect(notModified.$metadata.httpStatusCode).toBe(304);
    const mismatch = await failure(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', IfMatch: '"nope"' })),
    );
    expect(mismatch.name).toBe('PreconditionFailed');
    expect(mismatch.$metadata.httpStatusCode).toBe(412);
    const ok = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', IfMatch: ETag }));
    expect(await ok.Body!.transformToString()).toBe('v1');
    // Conditional write: If-None-Match: * does not overwrite.
    const exists = await failure(
      s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'v2', IfNoneMatch: '*' })),
    );
    expect(exists.$metadata.httpStatusCode).toBe(412);
  });

  it('answers NoSuchKey and NoSuchBucket with S3 error documents', async () => {
    const b = await bucket();
    const key = await failure(s3.send(new GetObjectCommand({ Bucket: b, Key: 'missing' })));
    expect(key.name).toBe('NoSuchKey');
    expect(key.message).toBe('The specified key does not exist.');
    expect(key.$metadata.httpStatusCode).toBe(404);
    const noBucket = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })),
    );
    expect(noBucket.name).toBe('NoSuchBucket');
    expect(noBucket.$metadata.httpStatusCode).toBe(404);
    // On the wire: <Error><Code>…</Code><Message>…</Message><Key>…</Key><RequestId>…
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: b, Key: 'missing' }));
    const res = await fetch(url);
    const xml = await res.text();
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(xml).toMatch(
      /<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>missing<\/Key><RequestId>[^<]+<\/RequestId>/,
    );
    const head = await failure(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('deletes one object (204 even when missing) and many at once', async () => {
    const b = await bucket();
    for (const k of ['a', 'b', 'c'])
      await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'a' }));
    const again = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'a' }));
    expect(again.$metadata.httpStatusCode).toBe(204);
    const many = await s3.send(
      new DeleteObjectsCommand({
        Bucket: b,
        Delete: { Objects: [{ Key: 'b' }, { Key: 'c' }, { Key: 'zz' }] },
      }),
    );
    expect(many.Deleted?.map((d) => d.Key)).toEqual(['b', 'c', 'zz']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount).toBe(0);
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    const gone = await failure(s3.send(new HeadBucketCommand({ Bucket: b })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('refuses a request document over 2 MiB (MaxMessageLengthExceeded) and malformed XML (MalformedXML)', async () => {
    const b = await bucket();
    const huge = Array.from({ length: 1000 }, (_, i) => ({ Key: `${'k'.repeat(2500)}${i}` }));
    const tooBig = await failure(
      s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: huge } })),
    );
    expect(tooBig.name).toBe('MaxMessageLengthExceeded');
    expect(tooBig.$metadata.httpStatusCode).toBe(400);
    const none = await failure(
      s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [] } })),
    );
    expect(none.name).toBe('MalformedXML');
  });

  it('refuses to delete a bucket that is not empty (409 BucketNotEmpty)', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
    const err = await failure(s3.send(new DeleteBucketCommand({ Bucket: b })));
    expect(err.name).toBe('BucketNotEmpty');
    expect(err.$metadata.httpStatusCode).toBe(409);
  });

  it('copies an object with its metadata', async () => {
    const b = await bucket();
    await s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: 'src key',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { a: '1' },
      }),
    );
    const out = await s3.send(
      new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src%20key` }),
    );
    expect(out.CopyObjectResult?.ETag).toBe(`"${md5(Buffer.from('copy me')).toString('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(await got.Body!.transformToString()).toBe('copy me');
    expect(got.Metadata).toEqual({ a: '1' });
  });

  it('answers what it does not emulate with 501 NotImplemented naming it, after checking the caller', async () => {
    const b = await bucket();
    const err = await failure(s3.send(new GetBucketVersioningCommand({ Bucket: b })));
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata.httpStatusCode).toBe(501);
    expect(err.message).toMatch(/does not emulate the 'versioning' sub-resource/);
    const anonymous = await fetch(`${cloud.endpoint}/${b}?versioning`);
    expect(anonymous.status).toBe(403);
  });

  it('lists the buckets', async () => {
    const b = await bucket();
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((x) => x.Name)).toContain(b);
  });
});

describe('upload bodies', () => {
  it('decodes a streamed PutObject (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER, trailing CRC32)', async () => {
    const b = await bucket();
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: 'streamed',
        Body: Readable.from(chunks),
        ContentLength: 20 * 64 * 1024,
      }),
    );
    const whole = Buffer.concat(chunks);
    expect(put.ETag).toBe(`"${md5(whole).toString('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'streamed' }));
    // The transfer framing is not the object's encoding.
    expect(got.ContentEncoding).toBeUndefined();
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
  });

  it('refuses a body whose declared CRC32 or Content-MD5 does not match (400 BadDigest) and stores nothing', async () => {
    const b = await bucket();
    const crc = await failure(
      s3.send(
        new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'abc', ChecksumCRC32: 'AAAAAA==' }),
      ),
    );
    expect(crc.name).toBe('BadDigest');
    expect(crc.$metadata.httpStatusCode).toBe(400);
    const md5Mismatch = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: b,
          Key: 'k',
          Body: 'abc',
          ContentMD5: md5(Buffer.from('abd')).toString('base64'),
        }),
      ),
    );
    expect(md5Mismatch.name).toBe('BadDigest');
    const missing = await failure(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })));
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });
});

describe('ListObjectsV2', () => {
  it('pages with max-keys and continuation tokens, in key order', async () => {
    const b = await bucket();
    const keys = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await Promise.all(
      keys.map((k) => s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }))),
    );
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: b, MaxKeys: 10, ContinuationToken: token }),
      );
      pages++;
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      expect(page.IsTruncated).toBe(page.NextContinuationToken !== undefined);
      token = page.NextContinuationToken;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(keys);
  });

  it('rolls keys up into CommonPrefixes at the delimiter, under a prefix, after start-after', async () => {
    const b = await bucket();
    for (const k of [
      'exports/2026/a.csv',
      'exports/2026/b.csv',
      'exports/2027/c.csv',
      'exports/top.csv',
      'other.txt',
    ]) {
      await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: 'x' }));
    }
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: b, Prefix: 'exports/', Delimiter: '/' }),
    );
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['exports/2026/', 'exports/2027/']);
    expect(page.Contents?.map((c) => c.Key)).toEqual(['exports/top.csv']);
    expect(page.KeyCount).toBe(3);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: b, StartAfter: 'exports/2026/b.csv' }),
    );
    expect(after.Contents?.map((c) => c.Key)).toEqual([
      'exports/2027/c.csv',
      'exports/top.csv',
      'other.txt',
    ]);
    const prefixPages = await s3.send(
      new ListObjectsV2Command({ Bucket: b, Prefix: 'exports/', Delimiter: '/', MaxKeys: 1 }),
    );
    expect(prefixPages.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['exports/2026/']);
    const next = await s3.send(
      new ListObjectsV2Command({
        Bucket: b,
        Prefix: 'exports/',
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: prefixPages.NextContinuationToken,
      }),
    );
    expect(next.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['exports/2027/']);
  });
});

describe('ListObjects (version 1) and GetBucketLocation', () => {
  it('pages with Marker, giving NextMarker when a delimiter is used', async () => {
    const b = await bucket();
    for (const k of ['a/1', 'a/2', 'b', 'c'])
      await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: 'x' }));
    const first = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 2 }));
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/']);
    expect(first.Contents?.map((c) => c.Key)).toEqual(['b']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('b');
    const second = await s3.send(
      new ListObjectsCommand({ Bucket: b, Delimiter: '/', Marker: first.NextMarker }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(['c']);
    expect(second.IsTruncated).toBe(false);
  });

  it('answers an empty LocationConstraint in us-east-1', async () => {
    const out = await s3.send(new GetBucketLocationCommand({ Bucket: await bucket() }));
    expect(out.LocationConstraint).toBeUndefined();
  });
});

describe('multipart uploads', () => {
  it('lib-storage uploads 11 MiB in 5 MiB parts; the ETag is md5 of the parts md5s, -3', async () => {
    const b = await bucket();
    const body = Buffer.alloc(11 * MiB);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    const upload = new Upload({
      client: s3,
      params: { Bucket: b, Key: 'export.csv', Body: body, ContentType: 'text/csv' },
      partSize: 5 * MiB,
    });
    const done = await upload.done();
    const parts = [
      body.subarray(0, 5 * MiB),
      body.subarray(5 * MiB, 10 * MiB),
      body.subarray(10 * MiB),
    ];
    const expected = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    expect(done.ETag).toBe(expected);
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'export.csv' }));
    expect(got.ContentLength).toBe(body.length);
    expect(got.ContentType).toBe('text/csv');
    expect(got.ETag).toBe(expected);
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(body)).toBe(true);
  });

  it('refuses parts under 5 MiB but the last with EntityTooSmall; lists and aborts', async () => {
    const b = await bucket();
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: b, Key: 'small' }),
    );
    const etags: string[] = [];
    for (const partNumber of [1, 2]) {
      const out = await s3.send(
        new UploadPartCommand({
          Bucket: b,
          Key: 'small',
          UploadId,
          PartNumber: partNumber,
          Body: Buffer.alloc(MiB, partNumber),
        }),
      );
      etags.push(out.ETag!);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: b, Key: 'small', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, MiB],
      [2, MiB],
    ]);
    const err = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: b,
          Key: 'small',
          UploadId,
          MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        }),
      ),
    );
    expect(err.name).toBe('EntityTooSmall');
    expect(err.$metadata.httpStatusCode).toBe(400);
    const order = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: b,
          Key: 'small',
          UploadId,
          MultipartUpload: {
            Parts: [
              { ETag: etags[1], PartNumber: 2 },
              { ETag: etags[0], PartNumber: 1 },
            ],
          },
        }),
      ),
    );
    expect(order.name).toBe('InvalidPartOrder');
    // One part alone may be small: it is the last.
    const one = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: 'small',
        UploadId,
        MultipartUpload: { Parts: [{ ETag: etags[0], PartNumber: 1 }] },
      }),
    );
    expect(one.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
    const gone = await failure(
      s3.send(new ListPartsCommand({ Bucket: b, Key: 'small', UploadId })),
    );
    expect(gone.name).toBe('NoSuchUpload');
  });
});

describe('presigned URLs', () => {
  async function presigned(
    b: string,
    key: string,
    o: { expiresIn?: number; signingDate?: Date } = {},
  ) {
    await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'secret export' }));
    return getSignedUrl(s3, new GetObjectCommand({ Bucket: b, Key: key }), {
      expiresIn: o.expiresIn ?? 900,
      signingDate: o.signingDate,
    });
  }

  it('downloads without credentials', async () => {
    const url = await presigned(await bucket(), 'exports/e 1.csv');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('secret export');
  });

  it('accepts URLs a function presigns with its role key and session token', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'fn.csv', Body: 'from a function' }));
    // What src/app/lambda/function.ts gives a function: an ASIA key, secret and token 'local'.
    const fn = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'ASIA0123456789ABCDEF',
        secretAccessKey: 'local',
        sessionToken: 'local',
      },
    });
    try {
      const url = await getSignedUrl(fn, new GetObjectCommand({ Bucket: b, Key: 'fn.csv' }), {
        expiresIn: 900,
      });
      expect(new URL(url).searchParams.get('X-Amz-Security-Token')).toBe('local');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('from a function');
    } finally {
      fn.destroy();
    }
  });

  it('refuses a tampered path or query with 403 SignatureDoesNotMatch', async () => {
    const b = await bucket();
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'other.csv', Body: 'someone else' }));
    const url = await presigned(b, 'mine.csv');
    const otherKey = await fetch(url.replace('/mine.csv', '/other.csv'));
    expect(otherKey.status).toBe(403);
    expect(xmlText(await otherKey.text(), 'Code')).toBe('SignatureDoesNotMatch');
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '3600');
    const res = await fetch(longer);
    expect(res.status).toBe(403);
    expect(xmlText(await res.text(), 'Code')).toBe('SignatureDoesNotMatch');
  });

  it('refuses an expired URL with 403 AccessDenied "Request has expired"', async () => {
    const url = await presigned(await bucket(), 'old.csv', {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    const res = await fetch(url);
    const xml = await res.text();
    expect(res.status).toBe(403);
    expect(xmlText(xml, 'Code')).toBe('AccessDenied');
    expect(xmlText(xml, 'Message')).toBe('Request has expired');
  });

  it('refuses X-Amz-Expires over a week with 400 AuthorizationQueryParametersError', async () => {
    const url = new URL(await presigned(await bucket(), 'k'));
    url.searchParams.set('X-Amz-Expires', '604801');
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(xmlText(await res.text(), 'Code')).toBe('AuthorizationQueryParametersError');
  });

  it('refuses anonymous requests (AccessDenied) and unknown keys (InvalidAccessKeyId)', async () => {
    const b = await bucket();
    const url = new URL(await presigned(b, 'k'));
    const anonymous = await fetch(`${cloud.endpoint}/${b}/k`);
    expect(anonymous.status).toBe(403);
    expect(xmlText(await anonymous.text(), 'Code')).toBe('AccessDenied');
    const stranger = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' },
    });
    try {
      const err = await failure(stranger.send(new GetObjectCommand({ Bucket: b, Key: 'k' })));
      expect(err.name).toBe('InvalidAccessKeyId');
      expect(err.$metadata.httpStatusCode).toBe(403);
    } finally {
      stranger.destroy();
    }
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^local\//);
  });

  it('checks header signatures too: a wrong secret is SignatureDoesNotMatch', async () => {
    const b = await bucket();
    const wrong = new S3Client({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'not-local' },
    });
    try {
      const err = await failure(
        wrong.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' })),
      );
      expect(err.name).toBe('SignatureDoesNotMatch');
      expect(err.$metadata.httpStatusCode).toBe(403);
    } finally {
      wrong.destroy();
    }
  });
});

describe('lifecycle', () => {
  it('stores the configuration and expires objects under the prefix once the days have passed (time injected)', async () => {
    const b = await bucket();
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: b,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'expire-exports',
              Status: 'Enabled',
              Filter: { Prefix: 'exports/' },
              Expiration: { Days: 7 },
            },
          ],
        },
      }),
    );
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
    expect(got.Rules).toEqual([
      {
        ID: 'expire-exports',
        Status: 'Enabled',
        Filter: { Prefix: 'exports/' },
        Expiration: { Days: 7 },
      },
    ]);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'exports/e1.csv', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'keep/k.csv', Body: 'x' }));
    const day = 86_400_000;
    cloud.s3.sweepLifecycle(new Date(Date.now() + 6 * day));
    const before = await s3.send(new ListObjectsV2Command({ Bucket: b }));
    expect(before.Contents?.map((c) => c.Key)).toEqual(['exports/e1.csv', 'keep/k.csv']);
    // Created + 7 days, rounded up to the next midnight UTC: at most 8 days.
    cloud.s3.sweepLifecycle(new Date(Date.now() + 8 * day));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: b }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['keep/k.csv']);
  });

  it('answers NoSuchLifecycleConfiguration for a bucket without rules', async () => {
    const err = await failure(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: await bucket() })),
    );
    expect(err.name).toBe('NoSuchLifecycleConfiguration');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe('addressing', () => {
  it('takes <bucket>.localhost too, and refuses it unsigned (buckets are private); calls are counted', async () => {
    const b = await bucket();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: cloud.port,
          path: '/k',
          headers: { host: `${b}.localhost:${cloud.port}` },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(403);
    expect(xmlText(answer.body, 'Code')).toBe('AccessDenied');
    const calls = cloud.context.recorder.metrics().calls['S3'] ?? {};
    expect(calls['CreateBucket']).toBeGreaterThan(0);
    expect(calls['GetObject']).toBeGreaterThan(0);
  });

  it('serves virtual-hosted requests (<bucket>.s3.localhost) as path-style ones', async () => {
    const b = await bucket();
    // Resolve every name to the loopback, as *.localhost resolves in browsers and curl.
    const agent = new Agent({
      lookup: ((_host: string, o: { all?: boolean }, cb: (...args: unknown[]) => void) =>
        o.all
          ? cb(null, [{ address: '127.0.0.1', family: 4 }])
          : cb(null, '127.0.0.1', 4)) as never,
    });
    const virtual = new S3Client({
      endpoint: `http://s3.localhost:${cloud.port}`,
      region: 'us-east-1',
      credentials,
      requestHandler: { httpAgent: agent },
    });
    try {
      await virtual.send(new PutObjectCommand({ Bucket: b, Key: 'v/key.txt', Body: 'virtual' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'v/key.txt' }));
      expect(await got.Body!.transformToString()).toBe('virtual');
      const listed = await virtual.send(new ListObjectsV2Command({ Bucket: b }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['v/key.txt']);
      const url = await getSignedUrl(
        virtual,
        new GetObjectCommand({ Bucket: b, Key: 'v/key.txt' }),
      );
      expect(new URL(url).host).toBe(`${b}.s3.localhost:${cloud.port}`);
    } finally {
      virtual.destroy();
      agent.destroy();
    }
  });
});
