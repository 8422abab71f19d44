/**
 * Object operations: PutObject, GetObject (ranges, conditions, response
 * header overrides), HeadObject, DeleteObject, CopyObject.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
import { receiveBody } from './body.js';
import { S3Error, invalidArgument, noSuchKey, preconditionFailed } from './errors.js';
import { parseRange } from './range.js';
import type { ObjectInfo, StoredObject } from './store.js';
import { header, xmlResponse, type S3Operation, type S3Request, type S3Response } from './types.js';
import { xmlDocument } from './xml.js';

const STORED_HEADERS = [
  'content-encoding',
  'content-disposition',
  'cache-control',
  'content-language',
  'expires',
];
/** GetObject's `response-*` query parameters override these answer headers. */
const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

/** The metadata a PUT, a copy with REPLACE, or CreateMultipartUpload sets. */
export function objectInfo(r: S3Request): ObjectInfo {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.req.headers)) {
    if (typeof value !== 'string') continue;
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
    else if (STORED_HEADERS.includes(name)) headers[name] = value;
  }
  // aws-chunked is the transfer framing, not the object's encoding.
  const encoding = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  if (encoding.length > 0) headers['content-encoding'] = encoding.join(',');
  else delete headers['content-encoding'];
  return { contentType: header(r, 'content-type') ?? 'binary/octet-stream', metadata, headers };
}

function objectHeaders(o: StoredObject): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': o.contentType,
    etag: o.etag,
    'last-modified': o.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-storage-class': 'STANDARD',
    'x-amz-server-side-encryption': 'AES256',
    ...o.headers,
  };
  for (const [k, v] of Object.entries(o.metadata)) h[`x-amz-meta-${k}`] = v;
  return h;
}

function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').some((c) => {
    const t = c.trim();
    return t === '*' || t === etag || `"${t}"` === etag;
  });
}

/** RFC 9110 section 13.2.2's order, as S3 applies it; undefined means go on. */
function conditional(r: S3Request, o: StoredObject): S3Response | undefined {
  const ifMatch = header(r, 'if-match');
  const ifNoneMatch = header(r, 'if-none-match');
  const ifModifiedSince = header(r, 'if-modified-since');
  const ifUnmodifiedSince = header(r, 'if-unmodified-since');
  const modified = Math.floor(o.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined && !etagMatches(ifMatch, o.etag)) throw preconditionFailed('If-Match');
  if (
    ifMatch === undefined &&
    ifUnmodifiedSince !== undefined &&
    modified > Date.parse(ifUnmodifiedSince)
  ) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  const notModified = {
    status: 304,
    headers: { etag: o.etag, 'last-modified': o.lastModified.toUTCString() },
  };
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, o.etag)) return notModified;
  if (
    ifNoneMatch === undefined &&
    ifModifiedSince !== undefined &&
    modified <= Date.parse(ifModifiedSince)
  )
    return notModified;
  return undefined;
}

export const putObject: S3Operation = async (r) => {
  const bucket = r.bucket!;
  r.store.bucket(bucket);
  // Conditional writes: If-None-Match: * refuses to overwrite, If-Match only overwrites that ETag.
  const ifNoneMatch = header(r, 'if-none-match');
  const ifMatch = header(r, 'if-match');
  const existing = r.store.bucket(bucket).objects.get(r.key);
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*')
    throw new S3Error('NotImplemented', 'PutObject takes If-None-Match: * only.', 501);
  if (ifNoneMatch !== undefined && existing) throw preconditionFailed('If-None-Match');
  if (ifMatch !== undefined && (!existing || !etagMatches(ifMatch, existing.etag))) {
    if (!existing) throw noSuchKey(r.key);
    throw preconditionFailed('If-Match');
  }
  const body = await receiveBody(
    r.req,
    r.store.incomingFile(),
    (f) => r.store.discard(f),
    r.chunkSigning,
  );
  const etag = `"${body.md5Hex}"`;
  r.store.put(bucket, r.key, body, etag, objectInfo(r), r.now);
  const headers: Record<string, string> = { etag, 'x-amz-server-side-encryption': 'AES256' };
  if (body.checksum) headers[body.checksum.name] = body.checksum.value;
  return { status: 200, headers };
};

async function getOrHead(r: S3Request, withBody: boolean): Promise<S3Response> {
  const o = r.store.object(r.bucket!, r.key);
  const early = conditional(r, o);
  if (early) return early;
  const headers = objectHeaders(o);
  for (const [param, name] of Object.entries(OVERRIDES)) {
    const v = r.query.get(param);
    if (v !== null) headers[name] = v;
  }
  const range = parseRange(header(r, 'range'), o.size);
  // A full-object checksum, which the SDK then checks the body against (not for a part of it).
  const checksumMode = header(r, 'x-amz-checksum-mode') ?? r.query.get('x-amz-checksum-mode');
  if (checksumMode === 'ENABLED' && !range && o.crc32 !== undefined) {
    headers['x-amz-checksum-crc32'] = o.crc32;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${o.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: withBody ? r.store.read(o, range) : undefined };
  }
  headers['content-length'] = String(o.size);
  // An empty file cannot be read with a range; stream only when there are bytes.
  return { status: 200, headers, body: withBody && o.size > 0 ? r.store.read(o) : undefined };
}

export const getObject: S3Operation = (r) => getOrHead(r, true);
export const headObject: S3Operation = (r) => getOrHead(r, false);

/** Deleting a key that does not exist succeeds, as S3 does without versioning. */
export const deleteObject: S3Operation = async (r) => {
  const bucket = r.store.bucket(r.bucket!);
  const ifMatch = header(r, 'if-match');
  const o = bucket.objects.get(r.key);
  if (ifMatch !== undefined && o && !etagMatches(ifMatch, o.etag))
    throw preconditionFailed('If-Match');
  r.store.delete(bucket.name, r.key);
  return { status: 204 };
};

export function parseCopySource(value: string): { bucket: string; key: string } {
  const path = value.split('?')[0]!.replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw invalidArgument(
      `Invalid copy source: expected '<bucket>/<key>' (URL-encoded), received '${value}'.`,
      'x-amz-copy-source',
      value,
    );
  }
  return {
    bucket: decodeURIComponent(path.slice(0, slash)),
    key: decodeURIComponent(path.slice(slash + 1)),
  };
}

export const copyObject: S3Operation = async (r) => {
  const source = parseCopySource(header(r, 'x-amz-copy-source')!);
  const from = r.store.object(source.bucket, source.key);
  const ifMatch = header(r, 'x-amz-copy-source-if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, from.etag))
    throw preconditionFailed('x-amz-copy-source-If-Match');
  const ifNoneMatch = header(r, 'x-amz-copy-source-if-none-match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, from.etag))
    throw preconditionFailed('x-amz-copy-source-If-None-Match');
  const replace = header(r, 'x-amz-metadata-directive') === 'REPLACE';
  if (!replace && source.bucket === r.bucket && source.key === r.key) {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      400,
    );
  }
  const info: ObjectInfo = replace
    ? objectInfo(r)
    : { contentType: from.contentType, metadata: from.metadata, headers: from.headers };
  const copied = await r.store.copy(from, r.bucket!, r.key, info, r.now);
  return xmlResponse(
    xmlDocument('CopyObjectResult', { LastModified: copied.lastModified, ETag: copied.etag }),
  );
};
