/**
 * aws-chunked bodies as SigV4 streaming sends them:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, isAwsChunked } from '../../src/s3/chunked.js';
import { S3Credentials } from '../../src/s3/credentials.js';
import { verifyRequest, type ChunkSigning } from '../../src/s3/sigv4.js';

async function decode(
  parts: string[],
  signing?: ChunkSigning,
): Promise<{ body: string; decoder: AwsChunkedDecoder }> {
  const decoder = new AwsChunkedDecoder(signing);
  const out: Buffer[] = [];
  const done = Readable.from(parts.map((p) => Buffer.from(p))).pipe(decoder);
  for await (const chunk of done) out.push(chunk as Buffer);
  return { body: Buffer.concat(out).toString(), decoder };
}

const sig = 'chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648';

describe('AwsChunkedDecoder', () => {
  it('decodes signed chunks, whatever the network split', async () => {
    const wire = `5;${sig}\r\nhello\r\n6;${sig}\r\n world\r\n0;${sig}\r\n\r\n`;
    const whole = await decode([wire]);
    expect(whole.body).toBe('hello world');
    // Every byte in its own read: headers and CRLFs split across reads.
    const bytewise = await decode([...wire]);
    expect(bytewise.body).toBe('hello world');
    expect(bytewise.decoder.decodedLength).toBe(11);
  });

  it('keeps the trailing checksum of an unsigned-trailer body', async () => {
    const { body, decoder } = await decode([
      'b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n',
    ]);
    expect(body).toBe('hello world');
    expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
  });

  it('refuses bad framing and bodies cut short, saying what was wrong', async () => {
    await expect(decode(['zz\r\nhello\r\n'])).rejects.toThrow(/chunk size 'zz' is not hexadecimal/);
    await expect(decode(['5\r\nhelloXX0\r\n\r\n'])).rejects.toThrow(/not followed by CRLF/);
    await expect(decode(['a\r\nhello'])).rejects.toThrow(/ended inside a chunk/);
  });

  it('is chosen by the STREAMING- payload hash or Content-Encoding: aws-chunked', () => {
    expect(isAwsChunked('STREAMING-UNSIGNED-PAYLOAD-TRAILER', undefined)).toBe(true);
    expect(isAwsChunked(undefined, 'gzip, aws-chunked')).toBe(true);
    expect(isAwsChunked('UNSIGNED-PAYLOAD', 'gzip')).toBe(false);
  });
});

describe('signed chunks (the reference\'s PUT example: 65536 + 1024 bytes of "a")', () => {
  const credentials = new S3Credentials();
  credentials.add('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  const caller = verifyRequest(
    {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      rawQuery: '',
      headers: {
        host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-length': '66824',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
          'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, ' +
          'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      },
    },
    credentials,
    Date.UTC(2013, 4, 24),
  );
  const chunk = (data: string, signature: string) =>
    `${data.length.toString(16)};chunk-signature=${signature}\r\n${data}\r\n`;
  const body = (first: string) => [
    chunk(first, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'),
    chunk('a'.repeat(1024), '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'),
    '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n',
  ];

  it('checks the seed and then every chunk, each signing the one before', async () => {
    expect(caller.chunkSigning?.seed).toBe(
      '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    );
    const { body: decoded } = await decode(body('a'.repeat(65536)), caller.chunkSigning);
    expect(decoded).toBe('a'.repeat(66560));
  });

  it('refuses a chunk whose bytes were changed: 403 SignatureDoesNotMatch', async () => {
    await expect(decode(body(`b${'a'.repeat(65535)}`), caller.chunkSigning)).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
  });
});
