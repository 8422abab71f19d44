/**
 * Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
 * GetBucketLocation, ListObjects(V2), DeleteObjects and the lifecycle
 * configuration. https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
 */
import { AwsError } from '../core/errors.js';
import { readBody } from '../edge/http.js';
import { S3Error, invalidArgument, malformedXml } from './errors.js';
import { parseLifecycle, renderRules } from './lifecycle.js';
import { listPage } from './listing.js';
import { rfc3986 } from './sigv4.js';
import { xmlResponse, type S3Operation, type S3Request } from './types.js';
import {
  child,
  childText,
  childrenNamed,
  expectRoot,
  parseXml,
  xmlDocument,
  type XmlNode,
} from './xml.js';

/** Request documents are small (1,000 keys to delete is the largest); more is not S3. */
const MAX_XML_BYTES = 2 * 1024 * 1024;

const OWNER = {
  ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
  DisplayName: 'local',
};

/** A request document, read whole: S3 refuses large ones as MaxMessageLengthExceeded. */
async function smallBody(r: S3Request): Promise<Buffer> {
  try {
    return await readBody(r.req, MAX_XML_BYTES);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    throw new S3Error(
      'MaxMessageLengthExceeded',
      `Your request was too big (over ${MAX_XML_BYTES} bytes of XML).`,
      400,
    );
  }
}

export async function requestXml(r: S3Request) {
  const body = await smallBody(r);
  if (body.length === 0) throw malformedXml('the request has no body');
  return parseXml(body.toString('utf8'));
}

function bucketOf(r: S3Request): string {
  return r.bucket!;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export function checkBucketName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias');
  if (!ok) {
    throw new S3Error(
      'InvalidBucketName',
      `The specified bucket is not valid: '${name}'. Use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.`,
      400,
      { BucketName: name },
    );
  }
}

export const listBuckets: S3Operation = async (r) => {
  const buckets = r.store
    .listBuckets()
    .map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: r.region }));
  return xmlResponse(
    xmlDocument('ListAllMyBucketsResult', { Owner: OWNER, Buckets: { Bucket: buckets } }),
  );
};

export const createBucket: S3Operation = async (r) => {
  const name = bucketOf(r);
  checkBucketName(name);
  const body = await smallBody(r);
  if (body.length > 0) expectRoot(parseXml(body.toString('utf8')), 'CreateBucketConfiguration');
  // us-east-1 answers 200 to its owner's repeated CreateBucket, for legacy reasons; other regions 409.
  if (!r.store.createBucket(name, r.now) && r.region !== 'us-east-1') {
    throw new S3Error(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: name },
    );
  }
  return { status: 200, headers: { location: `/${name}` } };
};

export const headBucket: S3Operation = async (r) => {
  r.store.bucket(bucketOf(r));
  return { status: 200, headers: { 'x-amz-bucket-region': r.region } };
};

export const deleteBucket: S3Operation = async (r) => {
  r.store.deleteBucket(bucketOf(r));
  return { status: 204 };
};

export const getBucketLocation: S3Operation = async (r) => {
  r.store.bucket(bucketOf(r));
  // us-east-1 is answered as an empty constraint.
  const constraint = r.region === 'us-east-1' ? '' : r.region;
  return xmlResponse(
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${constraint}</LocationConstraint>`,
  );
};

function maxKeys(r: S3Request): number {
  const text = r.query.get('max-keys');
  if (text === null) return 1000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      text,
    );
  return Math.min(n, 1000);
}

/** ListObjectsV2 (`list-type=2`) and ListObjects (markers). */
export const listObjects: S3Operation = async (r) => {
  const bucket = r.store.bucket(bucketOf(r));
  const v2 = r.query.get('list-type') === '2';
  const encodingType = r.query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url')
    throw invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encodingType,
    );
  const enc = (s: string) => (encodingType === 'url' ? rfc3986(s).replaceAll('%2F', '/') : s);
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const token = r.query.get('continuation-token');
  let after: string;
  if (v2) {
    if (token !== null) {
      after = Buffer.from(token, 'base64url').toString('utf8');
      if (!after.startsWith('1:'))
        throw invalidArgument(
          'The continuation token provided is incorrect',
          'continuation-token',
          token,
        );
      after = after.slice(2);
    } else after = r.query.get('start-after') ?? '';
  } else after = r.query.get('marker') ?? '';
  const limit = maxKeys(r);
  const page = listPage(r.store.keys(bucket.name), { prefix, delimiter, after, maxKeys: limit });
  const contents = page.keys.map((k) => {
    const o = bucket.objects.get(k)!;
    return {
      Key: enc(k),
      LastModified: o.lastModified,
      ETag: o.etag,
      Size: o.size,
      StorageClass: 'STANDARD',
      ...(v2 ? {} : { Owner: OWNER }),
    };
  });
  const common = page.commonPrefixes.map((p) => ({ Prefix: enc(p) }));
  const next = page.isTruncated && page.last !== undefined ? page.last : undefined;
  const doc: XmlNode = v2
    ? {
        Name: bucket.name,
        Prefix: enc(prefix),
        ...(r.query.has('start-after') ? { StartAfter: enc(r.query.get('start-after')!) } : {}),
        ...(token !== null ? { ContinuationToken: token } : {}),
        ...(next !== undefined
          ? { NextContinuationToken: Buffer.from(`1:${next}`).toString('base64url') }
          : {}),
        KeyCount: contents.length + common.length,
        MaxKeys: limit,
        ...(delimiter !== '' ? { Delimiter: enc(delimiter) } : {}),
        ...(encodingType !== null ? { EncodingType: encodingType } : {}),
        IsTruncated: page.isTruncated,
        Contents: contents,
        CommonPrefixes: common,
      }
    : {
        Name: bucket.name,
        Prefix: enc(prefix),
        Marker: enc(after),
        // S3 gives NextMarker in V1 only when a delimiter is used.
        ...(next !== undefined && delimiter !== '' ? { NextMarker: enc(next) } : {}),
        MaxKeys: limit,
        ...(delimiter !== '' ? { Delimiter: enc(delimiter) } : {}),
        ...(encodingType !== null ? { EncodingType: encodingType } : {}),
        IsTruncated: page.isTruncated,
        Contents: contents,
        CommonPrefixes: common,
      };
  return xmlResponse(xmlDocument('ListBucketResult', doc));
};

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html */
export const deleteObjects: S3Operation = async (r) => {
  const bucket = bucketOf(r);
  r.store.bucket(bucket);
  const doc = expectRoot(await requestXml(r), 'Delete');
  const objects = childrenNamed(doc, 'Object');
  if (objects.length === 0 || objects.length > 1000)
    throw malformedXml(`Delete takes 1 to 1000 Object elements, received ${objects.length}`);
  const quiet = childText(doc, 'Quiet') === 'true';
  const deleted: XmlNode[] = [];
  for (const o of objects) {
    const key = child(o, 'Key')?.text;
    if (key === undefined || key === '') throw malformedXml('every Object needs a Key');
    r.store.delete(bucket, key);
    if (!quiet) deleted.push({ Key: key });
  }
  return xmlResponse(xmlDocument('DeleteResult', { Deleted: deleted }));
};

export const putBucketLifecycle: S3Operation = async (r) => {
  const bucket = r.store.bucket(bucketOf(r));
  bucket.lifecycle = parseLifecycle(await requestXml(r));
  return {
    status: 200,
    headers: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' },
  };
};

export const getBucketLifecycle: S3Operation = async (r) => {
  const bucket = r.store.bucket(bucketOf(r));
  if (!bucket.lifecycle) {
    throw new S3Error(
      'NoSuchLifecycleConfiguration',
      'The lifecycle configuration does not exist',
      404,
      { BucketName: bucket.name },
    );
  }
  return xmlResponse(
    xmlDocument('LifecycleConfiguration', { Rule: renderRules(bucket.lifecycle) }),
  );
};

export const deleteBucketLifecycle: S3Operation = async (r) => {
  r.store.bucket(bucketOf(r)).lifecycle = undefined;
  return { status: 204 };
};
