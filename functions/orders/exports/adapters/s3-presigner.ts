import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignDownload } from '../ports.js';

/** A SigV4 query-signed GET of one object: whoever holds the URL may download it until it expires. */
export function s3Presigner(client: S3Client, bucket: string): PresignDownload {
  return (key, expiresInSeconds) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
}
