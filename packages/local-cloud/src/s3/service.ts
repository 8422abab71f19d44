/**
 * S3 on the edge's port (REST-XML): buckets and objects on disk, multipart
 * uploads, lifecycle expiration, and SigV4 checked as S3 checks it, so
 * presigned URLs expire and refuse tampering.
 *
 * Our own implementation. npm `s3rver` (and its fork `@20minutes/s3rver`)
 * was read and not used: it is a Koa app that owns its server, so it cannot
 * sit behind the shared edge without a second port and a proxy; its SigV4
 * parser refuses the `STREAMING-UNSIGNED-PAYLOAD-TRAILER` bodies SDK v3 sends
 * by default (InvalidArgument) and leaves chunk signatures unchecked (a TODO
 * in lib/signature/v4.js); CompleteMultipartUpload does not refuse undersized
 * parts (EntityTooSmall); it has no lifecycle expiration; and it is barely
 * maintained.
 *
 * Requests are recognised (see `claims`) by the SigV4 credential scope
 * service `s3` (Authorization header, or `X-Amz-Credential` of a presigned
 * URL), by a virtual-hosted Host (`<bucket>.s3.localhost`, `<bucket>.localhost`),
 * or, unsigned, by a path whose first segment is an existing bucket (which
 * then gets AccessDenied: buckets are private).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { credentialScope } from '../edge/http.js';
import type { CloudContext } from '../core/types.js';
import * as buckets from './bucket-operations.js';
import { S3Credentials } from './credentials.js';
import { S3Error, accessDenied, notImplemented } from './errors.js';
import * as multipart from './multipart-operations.js';
import * as objects from './object-operations.js';
import { verifyRequest, type Caller } from './sigv4.js';
import { S3Store } from './store.js';
import type { S3Operation, S3Request, S3Response } from './types.js';
import { escapeXml } from './xml.js';

export interface S3Options {
  /** The clock for signatures' expiry and objects' times; default Date.now. */
  now?: () => number;
  /** How often lifecycle rules are applied on the clock; default 60 s, 0 = only `sweepLifecycle()`. */
  sweepIntervalMs?: number;
}

const VIRTUAL_HOST = /^(.+?)\.(?:s3(?:[.-][a-z0-9-]+)?\.)?localhost$/;

/** Sub-resources the local S3 does not emulate; asked for, they get NotImplemented. */
const UNSUPPORTED = [
  'acl',
  'policy',
  'encryption',
  'publicAccessBlock',
  'versioning',
  'versions',
  'tagging',
  'cors',
  'website',
  'notification',
  'replication',
  'logging',
  'object-lock',
  'retention',
  'legal-hold',
  'select',
  'restore',
  'attributes',
];

export class S3Service {
  readonly service = 'S3';
  readonly credentials = new S3Credentials();
  readonly store = new S3Store();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: CloudContext,
    o: S3Options = {},
  ) {
    this.now = o.now ?? Date.now;
    const every = o.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => this.sweepLifecycle(), every);
      this.timer.unref();
    }
  }

  /** Applies lifecycle expiration at `at` (default the clock): AWS runs it once a day, asynchronously. */
  sweepLifecycle(at: Date = new Date(this.now())): {
    expiredObjects: number;
    abortedUploads: number;
  } {
    return this.store.sweep(at.getTime());
  }

  /** Is this request S3's? Decided before the body is read, so uploads stream. */
  claims(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', 'http://edge');
    const scope = credentialScope(req, url);
    if (scope) return scope.service === 's3';
    if (this.virtualBucket(req) !== undefined) return true;
    const first = url.pathname.split('/')[1] ?? '';
    return first !== '' && this.store.hasBucket(safeDecode(first));
  }

  async serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const method = req.method ?? 'GET';
    let action = 'Unknown';
    let out: S3Response;
    try {
      const r = this.address(req);
      // As S3 does, who is calling is checked before what is asked (an unsupported operation included).
      let resolved: [string, S3Operation] | S3Error;
      try {
        resolved = this.operation(r);
      } catch (err) {
        if (!(err instanceof S3Error)) throw err;
        resolved = err;
      }
      if (Array.isArray(resolved)) action = resolved[0];
      this.context.recorder.countCall(this.service, action);
      const caller = this.authorize(req);
      if (!Array.isArray(resolved)) throw resolved;
      out = await resolved[1]({ ...r, chunkSigning: caller.chunkSigning });
    } catch (err) {
      out = errorResponse(err, requestId);
      if (!(err instanceof S3Error))
        console.error(`local S3 ${method} ${req.url} (${action}) failed:`, err);
    }
    await this.write(req, res, out, requestId, method === 'HEAD');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.store.close();
  }

  private virtualBucket(req: IncomingMessage): string | undefined {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const m = VIRTUAL_HOST.exec(host);
    if (!m || m[1] === 's3') return undefined;
    return m[1];
  }

  private address(req: IncomingMessage): S3Request {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    let bucket = this.virtualBucket(req);
    let key: string;
    if (bucket !== undefined) key = safeDecode(rawPath.slice(1));
    else {
      const rest = rawPath.slice(1);
      const slash = rest.indexOf('/');
      bucket = rest === '' ? undefined : safeDecode(slash < 0 ? rest : rest.slice(0, slash));
      key = slash < 0 ? '' : safeDecode(rest.slice(slash + 1));
    }
    return {
      method: req.method ?? 'GET',
      bucket,
      key,
      query,
      req,
      store: this.store,
      now: new Date(this.now()),
      endpoint: this.context.endpoint,
      region: this.context.region,
    };
  }

  private authorize(req: IncomingMessage): Caller {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const caller = verifyRequest(
      {
        method: req.method ?? 'GET',
        rawPath: q < 0 ? raw : raw.slice(0, q),
        rawQuery: q < 0 ? '' : raw.slice(q + 1),
        headers: req.headers,
      },
      this.credentials,
      this.now(),
    );
    // Buckets are private (Block Public Access): anonymous callers are refused.
    if (caller.accessKeyId === undefined) throw accessDenied();
    return caller;
  }

  /** The operation's name (for the Recorder) and its implementation. */
  private operation(r: S3Request): [string, S3Operation] {
    const q = r.query;
    const unsupported = UNSUPPORTED.find((s) => q.has(s));
    if (unsupported) throw notImplemented(`the '${unsupported}' sub-resource`);
    const m = r.method;
    if (r.bucket === undefined) {
      if (m === 'GET') return ['ListBuckets', buckets.listBuckets];
      throw methodNotAllowed(m, 'the service');
    }
    if (r.key === '') {
      if (m === 'PUT')
        return q.has('lifecycle')
          ? ['PutBucketLifecycleConfiguration', buckets.putBucketLifecycle]
          : ['CreateBucket', buckets.createBucket];
      if (m === 'HEAD') return ['HeadBucket', buckets.headBucket];
      if (m === 'DELETE')
        return q.has('lifecycle')
          ? ['DeleteBucketLifecycle', buckets.deleteBucketLifecycle]
          : ['DeleteBucket', buckets.deleteBucket];
      if (m === 'POST' && q.has('delete')) return ['DeleteObjects', buckets.deleteObjects];
      if (m === 'GET') {
        if (q.has('lifecycle'))
          return ['GetBucketLifecycleConfiguration', buckets.getBucketLifecycle];
        if (q.has('location')) return ['GetBucketLocation', buckets.getBucketLocation];
        if (q.has('uploads')) return ['ListMultipartUploads', multipart.listMultipartUploads];
        return q.get('list-type') === '2'
          ? ['ListObjectsV2', buckets.listObjects]
          : ['ListObjects', buckets.listObjects];
      }
      throw methodNotAllowed(m, 'a bucket');
    }
    const uploadId = q.has('uploadId');
    if (m === 'PUT') {
      const copy = r.req.headers['x-amz-copy-source'] !== undefined;
      if (uploadId && copy) throw notImplemented('UploadPartCopy');
      if (uploadId) return ['UploadPart', multipart.uploadPart];
      return copy ? ['CopyObject', objects.copyObject] : ['PutObject', objects.putObject];
    }
    if (m === 'GET')
      return uploadId ? ['ListParts', multipart.listParts] : ['GetObject', objects.getObject];
    if (m === 'HEAD') return ['HeadObject', objects.headObject];
    if (m === 'DELETE')
      return uploadId
        ? ['AbortMultipartUpload', multipart.abortMultipartUpload]
        : ['DeleteObject', objects.deleteObject];
    if (m === 'POST' && q.has('uploads'))
      return ['CreateMultipartUpload', multipart.createMultipartUpload];
    if (m === 'POST' && uploadId)
      return ['CompleteMultipartUpload', multipart.completeMultipartUpload];
    throw methodNotAllowed(m, 'an object');
  }

  private async write(
    req: IncomingMessage,
    res: ServerResponse,
    out: S3Response,
    requestId: string,
    head: boolean,
  ): Promise<void> {
    // An upload refused before its body was read: drain it, so the client reads our answer.
    if (!req.readableEnded) req.resume();
    const headers: Record<string, string> = {
      'x-amz-request-id': requestId,
      'x-amz-id-2': Buffer.from(requestId).toString('base64'),
      server: 'AmazonS3',
      ...out.headers,
    };
    const body = out.body;
    if (typeof body === 'string') {
      if (!head) headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(out.status, headers);
      res.end(head ? undefined : body);
      return;
    }
    if (headers['content-length'] === undefined) headers['content-length'] = '0';
    res.writeHead(out.status, headers);
    if (!body || head) {
      res.end();
      return;
    }
    try {
      await pipeline(body as Readable, res);
    } catch {
      // The client went away mid-download; nothing to answer.
      res.destroy();
    }
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error(
      'InvalidURI',
      `Couldn't parse the specified URI: '${s}' is not valid percent-encoding.`,
      400,
    );
  }
}

function methodNotAllowed(method: string, what: string): S3Error {
  return new S3Error(
    'MethodNotAllowed',
    `The specified method is not allowed against this resource (${method} on ${what}).`,
    405,
    {
      Method: method,
      ResourceType: what === 'an object' ? 'OBJECT' : what === 'a bucket' ? 'BUCKET' : 'SERVICE',
    },
  );
}

/** S3's error document: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses */
export function errorResponse(err: unknown, requestId: string): S3Response {
  const e =
    err instanceof S3Error
      ? err
      : new S3Error(
          'InternalError',
          `We encountered an internal error. Please try again. (local cloud: ${(err as Error).message})`,
          500,
        );
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message>${extra}` +
    `<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
  return { status: e.status, headers: { 'content-type': 'application/xml', ...e.headers }, body };
}
