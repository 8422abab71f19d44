import type { IncomingMessage } from 'node:http';
import { AwsError } from '../core/errors.js';

/** What a handler answers; the edge writes it. */
export interface EdgeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * A path-routed endpoint (REST-JSON APIs such as Lambda's
 * `POST /2015-03-31/functions/{name}/invocations`). When `service` is given
 * the edge counts the call on the Recorder under `service` / `action`.
 */
export interface Route {
  method: string;
  path: RegExp;
  service?: string;
  action?: string | ((match: RegExpMatchArray) => string);
  /** Only requests signed for this service (or unsigned) take the route: paths such as `/tags/...` are shared. */
  signingName?: string;
  handle(req: IncomingMessage, body: Buffer, match: RegExpMatchArray): Promise<EdgeResponse>;
}

/** Larger than any AWS payload we emulate (Lambda 6 MB, SQS batch 1 MiB). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new AwsError(
        'RequestEntityTooLarge',
        `Request body is larger than ${limit} bytes; the local cloud refuses it as AWS would.`,
        413,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The first value of a header, lower-cased name. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `application/x-amz-json-1.0; charset=utf-8` -> `application/x-amz-json-1.0`. */
export function mediaType(req: IncomingMessage): string {
  return (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The SigV4 credential scope, from the Authorization header or a presigned URL's query. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialScope(req: IncomingMessage, url: URL): CredentialScope | undefined {
  const fromHeader = SCOPE.exec(header(req, 'authorization') ?? '');
  const presigned = url.searchParams.get('X-Amz-Credential');
  const m = fromHeader ?? (presigned ? SCOPE.exec(`Credential=${presigned}`) : null);
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}
