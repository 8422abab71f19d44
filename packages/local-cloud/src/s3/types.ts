import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ChunkSigning } from './sigv4.js';
import type { S3Store } from './store.js';

/** One S3 request, addressed: which bucket and key, whatever the addressing style. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string | undefined;
  /** '' when the request is for the bucket itself. */
  readonly key: string;
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
  readonly store: S3Store;
  readonly now: Date;
  /** Where clients reach the bucket, for `Location` values. */
  readonly endpoint: string;
  readonly region: string;
  /** Set for a header-signed STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload. */
  readonly chunkSigning?: ChunkSigning;
}

export interface S3Response {
  status: number;
  headers?: Record<string, string>;
  /** A document, or an object's bytes streamed from disk. */
  body?: string | Readable | NodeJS.ReadableStream;
}

export type S3Operation = (r: S3Request) => Promise<S3Response>;

export function header(r: S3Request, name: string): string | undefined {
  const v = r.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function xmlResponse(
  body: string,
  status = 200,
  headers: Record<string, string> = {},
): S3Response {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body };
}
