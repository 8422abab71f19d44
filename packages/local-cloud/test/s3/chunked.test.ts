/**
 * aws-chunked bodies as SigV4 streaming sends them:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, isAwsChunked } from '../../src/s3/chunked.js';

async function decode(parts: string[]): Promise<{ body: string; decoder: AwsChunkedDecoder }> {
  const decoder = new AwsChunkedDecoder();
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
