/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts, ListMultipartUploads.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html (5 MiB minimum part, 10,000 parts)
 * A multipart object's ETag is the MD5 of the parts' binary MD5s, then `-<number of parts>`.
 */
import { createHash } from 'node:crypto';
import { receiveBody } from './body.js';
import { requestXml } from './bucket-operations.js';
import { S3Error, invalidArgument, malformedXml } from './errors.js';
import { objectInfo } from './object-operations.js';
import type { StoredPart } from './store.js';
import { header, xmlResponse, type S3Operation, type S3Request } from './types.js';
import { childText, childrenNamed, expectRoot, xmlDocument, type XmlNode } from './xml.js';

export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

function uploadIdOf(r: S3Request): string {
  return r.query.get('uploadId') ?? '';
}

export const createMultipartUpload: S3Operation = async (r) => {
  const upload = r.store.createUpload(r.bucket!, r.key, objectInfo(r), r.now);
  const algorithm = header(r, 'x-amz-checksum-algorithm');
  return xmlResponse(
    xmlDocument('InitiateMultipartUploadResult', {
      Bucket: r.bucket,
      Key: r.key,
      UploadId: upload.id,
    }),
    200,
    algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {},
  );
};

export const uploadPart: S3Operation = async (r) => {
  const text = r.query.get('partNumber') ?? '';
  const partNumber = Number(text);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      text,
    );
  }
  const upload = r.store.upload(r.bucket!, r.key, uploadIdOf(r));
  const body = await receiveBody(
    r.req,
    r.store.incomingFile(),
    (f) => r.store.discard(f),
    r.chunkSigning,
  );
  const etag = `"${body.md5Hex}"`;
  const crc32 = body.checksum?.name === 'x-amz-checksum-crc32' ? body.checksum.value : undefined;
  r.store.putPart(upload, {
    partNumber,
    etag,
    size: body.size,
    lastModified: r.now,
    file: body.file,
    crc32,
  });
  const headers: Record<string, string> = { etag, 'x-amz-server-side-encryption': 'AES256' };
  if (body.checksum) headers[body.checksum.name] = body.checksum.value;
  return { status: 200, headers };
};

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, '');

export const completeMultipartUpload: S3Operation = async (r) => {
  const upload = r.store.upload(r.bucket!, r.key, uploadIdOf(r));
  const doc = expectRoot(await requestXml(r), 'CompleteMultipartUpload');
  const requested = childrenNamed(doc, 'Part').map((p) => ({
    partNumber: Number(childText(p, 'PartNumber')),
    etag: childText(p, 'ETag') ?? '',
  }));
  if (requested.length === 0) throw malformedXml('CompleteMultipartUpload needs at least one Part');
  const parts: StoredPart[] = [];
  let previous = 0;
  for (const p of requested) {
    if (!Number.isInteger(p.partNumber) || p.partNumber <= previous) {
      throw new S3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        400,
        { UploadId: upload.id },
      );
    }
    previous = p.partNumber;
    const stored = upload.parts.get(p.partNumber);
    if (!stored || unquote(stored.etag) !== unquote(p.etag)) {
      throw new S3Error(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { UploadId: upload.id, PartNumber: String(p.partNumber), ETag: p.etag },
      );
    }
    parts.push(stored);
  }
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.size < MIN_PART_BYTES) {
      throw new S3Error(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size.',
        400,
        {
          ProposedSize: String(p.size),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(p.partNumber),
          ETag: p.etag,
        },
      );
    }
  });
  const md5s = Buffer.concat(parts.map((p) => Buffer.from(unquote(p.etag), 'hex')));
  const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
  const body = await r.store.concatenate(parts);
  r.store.put(
    r.bucket!,
    r.key,
    body,
    etag,
    { contentType: upload.contentType, metadata: upload.metadata, headers: upload.headers },
    r.now,
  );
  r.store.endUpload(r.bucket!, upload);
  const location = `${r.endpoint}/${r.bucket}/${r.key.split('/').map(encodeURIComponent).join('/')}`;
  return xmlResponse(
    xmlDocument('CompleteMultipartUploadResult', {
      Location: location,
      Bucket: r.bucket,
      Key: r.key,
      ETag: etag,
    }),
  );
};

export const abortMultipartUpload: S3Operation = async (r) => {
  const upload = r.store.upload(r.bucket!, r.key, uploadIdOf(r));
  r.store.endUpload(r.bucket!, upload);
  return { status: 204 };
};

export const listParts: S3Operation = async (r) => {
  const upload = r.store.upload(r.bucket!, r.key, uploadIdOf(r));
  const marker = Number(r.query.get('part-number-marker') ?? '0');
  const max = Math.min(Number(r.query.get('max-parts') ?? '1000') || 1000, 1000);
  const all = [...upload.parts.values()]
    .sort((a, b) => a.partNumber - b.partNumber)
    .filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const parts: XmlNode[] = page.map((p) => ({
    PartNumber: p.partNumber,
    LastModified: p.lastModified,
    ETag: p.etag,
    Size: p.size,
    ChecksumCRC32: p.crc32,
  }));
  return xmlResponse(
    xmlDocument('ListPartsResult', {
      Bucket: r.bucket,
      Key: r.key,
      UploadId: upload.id,
      PartNumberMarker: marker,
      ...(truncated ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
      MaxParts: max,
      IsTruncated: truncated,
      StorageClass: 'STANDARD',
      Part: parts,
    }),
  );
};

/** Without paging: every upload under the prefix in one answer (see the README). */
export const listMultipartUploads: S3Operation = async (r) => {
  const bucket = r.store.bucket(r.bucket!);
  const prefix = r.query.get('prefix') ?? '';
  const uploads = [...bucket.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated.getTime() - b.initiated.getTime(),
    )
    .map((u) => ({ Key: u.key, UploadId: u.id, Initiated: u.initiated, StorageClass: 'STANDARD' }));
  return xmlResponse(
    xmlDocument('ListMultipartUploadsResult', {
      Bucket: bucket.name,
      KeyMarker: '',
      UploadIdMarker: '',
      Prefix: prefix,
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads,
    }),
  );
};
