/**
 * Buckets, objects and multipart uploads. Metadata lives in memory; bodies
 * live on disk, one file per object and per uploaded part, under a temporary
 * folder removed on stop: exports of many thousand orders are megabytes, and
 * multipart parts are at least 5 MiB each, so keeping bodies in memory would
 * let one test's uploads grow the process without bound. A body is streamed
 * from the request to its file and from its file to the response, never held whole.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Error, noSuchBucket, noSuchKey, noSuchUpload } from './errors.js';
import { objectExpired, uploadExpired, type LifecycleRule } from './lifecycle.js';
import { byUtf8 } from './listing.js';

/** What S3 keeps of an object besides its bytes. */
export interface ObjectInfo {
  contentType: string;
  /** `x-amz-meta-*` headers, names without the prefix, lower-cased. */
  metadata: Record<string, string>;
  /** Content-Encoding, Content-Disposition, Cache-Control, Content-Language, Expires. */
  headers: Record<string, string>;
}

export interface StoredObject extends ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** Quoted, as S3 answers it: `"<md5 hex>"` or `"<md5 of md5s>-<parts>"`. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly file: string;
  /** The whole body's CRC32 (base64), answered to `x-amz-checksum-mode: ENABLED`. */
  readonly crc32: string | undefined;
}

export interface StoredPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly file: string;
  /** The part's CRC32 (base64) when the client sent one. */
  readonly crc32: string | undefined;
}

export interface Upload extends ObjectInfo {
  readonly id: string;
  readonly key: string;
  readonly initiated: Date;
  readonly parts: Map<number, StoredPart>;
}

export interface Bucket {
  readonly name: string;
  readonly created: Date;
  readonly objects: Map<string, StoredObject>;
  readonly uploads: Map<string, Upload>;
  lifecycle: LifecycleRule[] | undefined;
}

/** A body written to disk, not yet an object: rename it into place or discard it. */
export interface Received {
  readonly file: string;
  readonly size: number;
  /** The whole body's CRC32 (base64); multipart objects have none. */
  readonly crc32?: string;
}

export class S3Store {
  private readonly buckets = new Map<string, Bucket>();
  readonly root = mkdtempSync(join(tmpdir(), 'local-cloud-s3-'));

  listBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => byUtf8(a.name, b.name));
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  bucket(name: string): Bucket {
    const b = this.buckets.get(name);
    if (!b) throw noSuchBucket(name);
    return b;
  }

  /** false when the bucket exists already. */
  createBucket(name: string, now: Date): boolean {
    if (this.buckets.has(name)) return false;
    this.buckets.set(name, {
      name,
      created: now,
      objects: new Map(),
      uploads: new Map(),
      lifecycle: undefined,
    });
    return true;
  }

  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0) {
      throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
        BucketName: name,
      });
    }
    for (const u of b.uploads.values()) this.discardUpload(u);
    this.buckets.delete(name);
  }

  object(bucket: string, key: string): StoredObject {
    const o = this.bucket(bucket).objects.get(key);
    if (!o) throw noSuchKey(key);
    return o;
  }

  /** Sorted keys, for listings. */
  keys(bucket: string): string[] {
    return [...this.bucket(bucket).objects.keys()].sort(byUtf8);
  }

  /** A fresh path for a body being received. */
  incomingFile(): string {
    return join(this.root, randomUUID());
  }

  async discard(file: string): Promise<void> {
    await unlink(file).catch(() => undefined);
  }

  put(
    bucket: string,
    key: string,
    body: Received,
    etag: string,
    info: ObjectInfo,
    now: Date,
  ): StoredObject {
    const b = this.bucket(bucket);
    const previous = b.objects.get(key);
    const o: StoredObject = {
      ...info,
      key,
      size: body.size,
      etag,
      lastModified: now,
      file: body.file,
      crc32: body.crc32,
    };
    b.objects.set(key, o);
    // A reader streaming the old body keeps its open file; unlinking is safe.
    if (previous) void this.discard(previous.file);
    return o;
  }

  async copy(
    from: StoredObject,
    bucket: string,
    key: string,
    info: ObjectInfo,
    now: Date,
  ): Promise<StoredObject> {
    this.bucket(bucket);
    const file = this.incomingFile();
    await copyFile(from.file, file);
    return this.put(
      bucket,
      key,
      { file, size: from.size, crc32: from.crc32 },
      from.etag,
      info,
      now,
    );
  }

  delete(bucket: string, key: string): boolean {
    const b = this.bucket(bucket);
    const o = b.objects.get(key);
    if (!o) return false;
    b.objects.delete(key);
    void this.discard(o.file);
    return true;
  }

  read(o: StoredObject, range?: { start: number; end: number }): NodeJS.ReadableStream {
    return createReadStream(o.file, range);
  }

  createUpload(bucket: string, key: string, info: ObjectInfo, now: Date): Upload {
    const b = this.bucket(bucket);
    const id = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
    const upload: Upload = { ...info, id, key, initiated: now, parts: new Map() };
    b.uploads.set(id, upload);
    return upload;
  }

  upload(bucket: string, key: string, uploadId: string): Upload {
    const u = this.bucket(bucket).uploads.get(uploadId);
    if (!u || u.key !== key) throw noSuchUpload(uploadId);
    return u;
  }

  putPart(upload: Upload, part: StoredPart): void {
    const previous = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, part);
    if (previous) void this.discard(previous.file);
  }

  /** Concatenates the chosen parts into one body file, in order, streaming. */
  async concatenate(parts: StoredPart[]): Promise<Received> {
    const file = this.incomingFile();
    const out = createWriteStream(file);
    // One listener for the whole copy: a pipeline per part would add one per part.
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    const copy = async () => {
      for (const p of parts) {
        for await (const chunk of createReadStream(p.file)) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
      }
      await new Promise<void>((resolve) => out.end(resolve));
    };
    try {
      await Promise.race([copy(), failed]);
    } catch (err) {
      out.destroy();
      await this.discard(file);
      throw err;
    }
    return { file, size: parts.reduce((n, p) => n + p.size, 0) };
  }

  endUpload(bucket: string, upload: Upload): void {
    this.bucket(bucket).uploads.delete(upload.id);
    this.discardUpload(upload);
  }

  private discardUpload(upload: Upload): void {
    for (const p of upload.parts.values()) void this.discard(p.file);
  }

  /** Applies every bucket's lifecycle rules at `now`; answers what it removed. */
  sweep(now: number): { expiredObjects: number; abortedUploads: number } {
    let expiredObjects = 0;
    let abortedUploads = 0;
    for (const b of this.buckets.values()) {
      const rules = b.lifecycle ?? [];
      if (rules.length === 0) continue;
      for (const o of [...b.objects.values()]) {
        if (rules.some((r) => objectExpired(r, o.key, o.size, o.lastModified, now))) {
          this.delete(b.name, o.key);
          expiredObjects++;
        }
      }
      for (const u of [...b.uploads.values()]) {
        if (rules.some((r) => uploadExpired(r, u.key, u.initiated, now))) {
          this.endUpload(b.name, u);
          abortedUploads++;
        }
      }
    }
    return { expiredObjects, abortedUploads };
  }

  /** Removes every body from disk. */
  close(): void {
    this.buckets.clear();
    rmSync(this.root, { recursive: true, force: true });
  }
}
