/**
 * Signature checks against the worked examples of the S3 API reference:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (GET test.txt, 86400 s)
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (GET test.txt, Range bytes=0-9)
 */
import { describe, expect, it } from 'vitest';
import { S3Credentials } from '../../src/s3/credentials.js';
import { S3Error } from '../../src/s3/errors.js';
import { verifyRequest, type SignedRequest } from '../../src/s3/sigv4.js';

const credentials = new S3Credentials();
credentials.add('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
const signedAt = Date.UTC(2013, 4, 24);
const host = 'examplebucket.s3.amazonaws.com';
const presignedQuery =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

const presigned = (over: Partial<SignedRequest> = {}): SignedRequest => ({
  method: 'GET',
  rawPath: '/test.txt',
  rawQuery: presignedQuery,
  headers: { host },
  ...over,
});

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof S3Error) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'accepted';
}

describe('presigned URLs', () => {
  it("accepts the reference's example URL within its day", () => {
    expect(verifyRequest(presigned(), credentials, signedAt + 3_600_000)).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      presigned: true,
    });
  });

  it('refuses another path, another host, a changed parameter or method: 403 SignatureDoesNotMatch', () => {
    const at = signedAt + 1000;
    expect(code(() => verifyRequest(presigned({ rawPath: '/other.txt' }), credentials, at))).toBe(
      '403 SignatureDoesNotMatch',
    );
    expect(
      code(() => verifyRequest(presigned({ headers: { host: 'evil.example' } }), credentials, at)),
    ).toBe('403 SignatureDoesNotMatch');
    expect(code(() => verifyRequest(presigned({ method: 'PUT' }), credentials, at))).toBe(
      '403 SignatureDoesNotMatch',
    );
    const added = presigned({ rawQuery: `${presignedQuery}&response-content-type=text%2Fhtml` });
    expect(code(() => verifyRequest(added, credentials, at))).toBe('403 SignatureDoesNotMatch');
  });

  it('refuses it after X-Amz-Date + X-Amz-Expires: 403 AccessDenied', () => {
    expect(code(() => verifyRequest(presigned(), credentials, signedAt + 86_400_000 + 1000))).toBe(
      '403 AccessDenied',
    );
  });

  it('refuses X-Amz-Expires over a week and missing parameters: 400 AuthorizationQueryParametersError', () => {
    const week = presigned({
      rawQuery: presignedQuery.replace('X-Amz-Expires=86400', 'X-Amz-Expires=604801'),
    });
    expect(code(() => verifyRequest(week, credentials, signedAt))).toBe(
      '400 AuthorizationQueryParametersError',
    );
    const noDate = presigned({
      rawQuery: presignedQuery.replace('&X-Amz-Date=20130524T000000Z', ''),
    });
    expect(code(() => verifyRequest(noDate, credentials, signedAt))).toBe(
      '400 AuthorizationQueryParametersError',
    );
  });

  it('refuses unknown access keys: 403 InvalidAccessKeyId', () => {
    const stranger = presigned({
      rawQuery: presignedQuery.replace('AKIAIOSFODNN7EXAMPLE', 'AKIASTRANGER'),
    });
    expect(code(() => verifyRequest(stranger, credentials, signedAt))).toBe(
      '403 InvalidAccessKeyId',
    );
  });
});

describe('header-signed requests', () => {
  const signed = (over: Record<string, string> = {}): SignedRequest => ({
    method: 'GET',
    rawPath: '/test.txt',
    rawQuery: '',
    headers: {
      host,
      range: 'bytes=0-9',
      'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-amz-date': '20130524T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      ...over,
    },
  });

  it("accepts the reference's example GET", () => {
    expect(verifyRequest(signed(), credentials, signedAt + 60_000).accessKeyId).toBe(
      'AKIAIOSFODNN7EXAMPLE',
    );
  });

  it('refuses a changed signed header, a skewed clock and a malformed header', () => {
    expect(code(() => verifyRequest(signed({ range: 'bytes=0-99' }), credentials, signedAt))).toBe(
      '403 SignatureDoesNotMatch',
    );
    expect(code(() => verifyRequest(signed(), credentials, signedAt + 16 * 60_000))).toBe(
      '403 RequestTimeTooSkewed',
    );
    expect(
      code(() => verifyRequest(signed({ authorization: 'Bearer x' }), credentials, signedAt)),
    ).toBe('400 AuthorizationHeaderMalformed');
  });

  it('refuses Signature Version 2 as new buckets do: 400 InvalidRequest', () => {
    expect(
      code(() =>
        verifyRequest(
          signed({ authorization: 'AWS AKIAIOSFODNN7EXAMPLE:abc=' }),
          credentials,
          signedAt,
        ),
      ),
    ).toBe('400 InvalidRequest');
    const v2 = presigned({ rawQuery: 'AWSAccessKeyId=local&Signature=abc%3D&Expires=1796246362' });
    expect(code(() => verifyRequest(v2, credentials, signedAt))).toBe('400 InvalidRequest');
  });

  it('takes anonymous requests as anonymous (the service refuses them)', () => {
    expect(
      verifyRequest(
        { method: 'GET', rawPath: '/b/k', rawQuery: '', headers: { host } },
        credentials,
        signedAt,
      ),
    ).toEqual({
      accessKeyId: undefined,
      presigned: false,
    });
  });
});

describe('S3Credentials', () => {
  it("knows local/local, test/test and functions' role keys, and nothing else", () => {
    const c = new S3Credentials();
    expect(c.secretFor('local')).toBe('local');
    expect(c.secretFor('test')).toBe('test');
    expect(c.secretFor('ASIA0123456789ABCDEF')).toBe('local');
    expect(c.secretFor('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
  });
});
