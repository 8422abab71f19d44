import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { ObjectWriter, OpenObjectWriter } from '../ports.js';

export interface ObjectWriterOptions {
  /** Bytes per part (S3's least is 5 MiB). @default 5 MiB */
  partSize?: number;
  /** Parts uploaded at once; with partSize, what bounds the memory an export takes. @default 2 */
  queueSize?: number;
}

const MIB = 1024 * 1024;

/**
 * Streams an object into the bucket with lib-storage's Upload: one PutObject
 * for a small export, a multipart upload otherwise. At most about
 * (queueSize + 1) x partSize bytes are held: writes wait while the upload is behind.
 */
export function s3ObjectWriter(
  client: S3Client,
  bucket: string,
  options: ObjectWriterOptions = {},
): OpenObjectWriter {
  const partSize = options.partSize ?? 5 * MIB;
  const queueSize = options.queueSize ?? 2;
  return (key): ObjectWriter => {
    const body = new PassThrough({ highWaterMark: MIB });
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv; charset=utf-8' },
      partSize,
      queueSize,
    });
    let bytes = 0;
    const done = upload.done();
    // Observed by finish(); a failure before it is reported by the next write.
    let failure: unknown;
    done.catch((error: unknown) => {
      failure = error;
      body.destroy();
    });
    return {
      async write(chunk) {
        if (failure) throw failure;
        bytes += Buffer.byteLength(chunk);
        if (!body.write(chunk)) {
          await Promise.race([once(body, 'drain'), done]);
          if (failure) throw failure;
        }
      },
      async finish() {
        body.end();
        await done;
        return bytes;
      },
      async abort() {
        await upload.abort().catch(() => undefined);
        body.destroy();
        await done.catch(() => undefined);
      },
    };
  };
}
