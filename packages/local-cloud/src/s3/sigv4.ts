/**
 * Checks S3 request signatures as S3 does (Signature Version 4), for
 * header-signed requests and presigned URLs:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * S3 signs the path as sent (no normalisation, no double encoding), and the
 * payload hash is whatever `x-amz-content-sha256` declares (`UNSIGNED-PAYLOAD`
 * for presigned URLs). The body itself is not hashed here.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { S3Credentials } from './credentials.js';
import { S3Error, accessDenied } from './errors.js';

export interface SignedRequest {
  method: string;
  /** The request target's path as received (still percent-encoded). */
  rawPath: string;
  /** The query string as received, without '?'. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

export interface Caller {
  /** undefined for an anonymous request. */
  accessKeyId: string | undefined;
  presigned: boolean;
  /** For `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` bodies: what each chunk's signature is checked with. */
  chunkSigning?: ChunkSigning;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html: each chunk signs the one before. */
export interface ChunkSigning {
  readonly key: Buffer;
  readonly amzDate: string;
  /** `<date>/<region>/<service>/aws4_request` */
  readonly scope: string;
  /** The request's own signature, which the first chunk's signs. */
  readonly seed: string;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The signature a chunk whose bytes hash to `dataSha256` must carry after `previous`. */
export function chunkSignature(c: ChunkSigning, previous: string, dataSha256: string): string {
  const stringToSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    c.amzDate,
    c.scope,
    previous,
    EMPTY_SHA256,
    dataSha256,
  ].join('\n');
  return createHmac('sha256', c.key).update(stringToSign).digest('hex');
}

/** A week: the longest a presigned URL may live. */
export const MAX_EXPIRES_SECONDS = 604_800;
/** S3 refuses header-signed requests whose time is further than this from its clock. */
const MAX_SKEW_MS = 15 * 60_000;

const AUTH_HEADER =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalQuery(rawQuery: string, without?: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = rfc3986(decode(eq < 0 ? part : part.slice(0, eq)));
    const v = rfc3986(decode(eq < 0 ? '' : part.slice(eq + 1)));
    if (k !== without) pairs.push([k, v]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, signed: string[]): string {
  return signed
    .map((name) => {
      const v = headers[name];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) =>
  createHmac('sha256', key).update(s, 'utf8').digest();

function signature(secret: string, scope: string[], amzDate: string, canonical: string) {
  const [date, region, service] = scope;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${date}/${region}/${service}/aws4_request`,
    sha256(canonical),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return {
    stringToSign,
    key,
    signature: createHmac('sha256', key).update(stringToSign).digest('hex'),
  };
}

/** `20260102T030405Z` -> epoch ms, or NaN. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

const queryError = (message: string) =>
  new S3Error('AuthorizationQueryParametersError', message, 400);

function checkKey(credentials: S3Credentials, accessKeyId: string): string {
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      403,
      { AWSAccessKeyId: accessKeyId },
    );
  }
  return secret;
}

function compare(
  accessKeyId: string,
  expected: { stringToSign: string; signature: string },
  provided: string,
  canonical: string,
): void {
  const a = Buffer.from(expected.signature);
  const b = Buffer.from(provided);
  if (a.length === b.length && timingSafeEqual(a, b)) return;
  throw new S3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
    {
      AWSAccessKeyId: accessKeyId,
      StringToSign: expected.stringToSign,
      SignatureProvided: provided,
      CanonicalRequest: canonical,
    },
  );
}

/** Who signed the request; throws S3's error if the signature does not hold. */
export function verifyRequest(req: SignedRequest, credentials: S3Credentials, now: number): Caller {
  const query = new URLSearchParams(req.rawQuery);
  // Signature Version 2 (AWS CLI v1's `s3 presign` default): S3 refuses it for buckets made since 2020.
  if (
    (query.has('AWSAccessKeyId') && query.has('Signature')) ||
    /^AWS [^:\s]+:/.test(req.headers['authorization'] ?? '')
  ) {
    throw new S3Error(
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256. (AWS CLI v1: set `s3 = signature_version = s3v4` in its config file.)',
      400,
    );
  }
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
    return verifyPresigned(req, query, credentials, now);
  }
  const auth = req.headers['authorization'];
  if (auth === undefined) return { accessKeyId: undefined, presigned: false };
  const m = AUTH_HEADER.exec(auth);
  if (!m) {
    throw new S3Error(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; expected 'AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/s3/aws4_request, SignedHeaders=<names>, Signature=<hex>', received '${auth.slice(0, 80)}'.`,
      400,
    );
  }
  const [accessKeyId, ...scope] = m[1]!.split('/');
  const secret = checkKey(credentials, accessKeyId!);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const time = parseAmzDate(amzDate);
  if (Number.isNaN(time)) {
    throw accessDenied(
      `AWS authentication requires a valid Date or x-amz-date header; received x-amz-date '${amzDate}'.`,
    );
  }
  if (Math.abs(time - now) > MAX_SKEW_MS) {
    throw new S3Error(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      403,
      {
        RequestTime: amzDate,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: '900000',
      },
    );
  }
  const payload = req.headers['x-amz-content-sha256'];
  if (typeof payload !== 'string') {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
      400,
    );
  }
  const signed = m[2]!.split(';');
  const canonical = [
    req.method,
    req.rawPath,
    canonicalQuery(req.rawQuery),
    canonicalHeaders(req.headers, signed),
    signed.join(';'),
    payload,
  ].join('\n');
  const expected = signature(secret, scope, amzDate, canonical);
  compare(accessKeyId!, expected, m[3]!, canonical);
  if (!payload.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD'))
    return { accessKeyId, presigned: false };
  const chunkSigning = { key: expected.key, amzDate, scope: `${scope.join('/')}`, seed: m[3]! };
  return { accessKeyId, presigned: false, chunkSigning };
}

function verifyPresigned(
  req: SignedRequest,
  query: URLSearchParams,
  credentials: S3Credentials,
  now: number,
): Caller {
  const get = (name: string) => {
    const v = query.get(name);
    if (v === null || v === '') {
      throw queryError(
        `Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; ${name} is missing.`,
      );
    }
    return v;
  };
  const algorithm = get('X-Amz-Algorithm');
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw queryError(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"; received '${algorithm}'.`);
  }
  const credential = get('X-Amz-Credential').split('/');
  if (credential.length !== 5 || credential[4] !== 'aws4_request') {
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; expected <key>/<yyyymmdd>/<region>/s3/aws4_request, received '${query.get('X-Amz-Credential')}'.`,
    );
  }
  const amzDate = get('X-Amz-Date');
  const time = parseAmzDate(amzDate);
  if (Number.isNaN(time)) {
    throw queryError(
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"; received '${amzDate}'.`,
    );
  }
  const expiresText = get('X-Amz-Expires');
  const expires = Number(expiresText);
  if (!Number.isInteger(expires) || expires < 0) {
    throw queryError(`X-Amz-Expires should be a number of seconds; received '${expiresText}'.`);
  }
  if (expires > MAX_EXPIRES_SECONDS) {
    throw queryError('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  const provided = get('X-Amz-Signature');
  const [accessKeyId, ...scope] = credential;
  const secret = checkKey(credentials, accessKeyId!);
  if (now > time + expires * 1000) {
    throw new S3Error('AccessDenied', 'Request has expired', 403, {
      'X-Amz-Expires': expiresText,
      Expires: new Date(time + expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
  const signed = get('X-Amz-SignedHeaders').split(';');
  const canonical = [
    req.method,
    req.rawPath,
    canonicalQuery(req.rawQuery, 'X-Amz-Signature'),
    canonicalHeaders(req.headers, signed),
    signed.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  compare(accessKeyId!, signature(secret, scope, amzDate, canonical), provided, canonical);
  return { accessKeyId, presigned: true };
}
