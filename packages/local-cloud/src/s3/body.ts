/**
 * Receives an upload's body into a file, streaming: decodes aws-chunked,
 * hashes as it writes (MD5 for the ETag, CRC32, SHA-1 and SHA-256 for the
 * checksums S3 checks), then checks what the request declared: Content-MD5,
 * `x-amz-checksum-<algorithm>` (header or trailer), the SHA-256 the signature
 * covered, `x-amz-decoded-content-length`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { AwsChunkedDecoder, isAwsChunked } from './chunked.js';
import { S3Error, invalidArgument } from './errors.js';
import type { ChunkSigning } from './sigv4.js';

export interface ReceivedBody {
  file: string;
  size: number;
  md5Hex: string;
  /** base64, as `x-amz-checksum-crc32` carries it. */
  crc32: string;
  /** The checksum the client sent (header or trailer), to echo back, if any. */
  checksum: { name: string; value: string } | undefined;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** 5 GiB: the largest single PUT S3 takes. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

export async function receiveBody(
  req: IncomingMessage,
  file: string,
  discard: (file: string) => Promise<void>,
  /** Checks each chunk of a signed aws-chunked body. */
  signing?: ChunkSigning,
): Promise<ReceivedBody> {
  const contentSha256 = header(req, 'x-amz-content-sha256');
  const chunked = isAwsChunked(contentSha256, header(req, 'content-encoding'));
  const decoder = chunked ? new AwsChunkedDecoder(signing) : undefined;
  const md5 = createHash('md5');
  const wantSha256 = contentSha256 !== undefined && /^[0-9a-f]{64}$/.test(contentSha256);
  const sha256: Hash | undefined =
    wantSha256 || hasChecksum(req, 'sha256') ? createHash('sha256') : undefined;
  const sha1: Hash | undefined = hasChecksum(req, 'sha1') ? createHash('sha1') : undefined;
  let crc = 0;
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > MAX_PUT_BYTES) {
        done(
          new S3Error(
            'EntityTooLarge',
            'Your proposed upload exceeds the maximum allowed size',
            400,
            { MaxSizeAllowed: String(MAX_PUT_BYTES) },
          ),
        );
        return;
      }
      md5.update(chunk);
      sha256?.update(chunk);
      sha1?.update(chunk);
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  try {
    await pipeline([req, ...(decoder ? [decoder] : []), tap, createWriteStream(file)]);
    const crcBytes = Buffer.alloc(4);
    crcBytes.writeUInt32BE(crc >>> 0);
    const computed: Record<string, string> = { crc32: crcBytes.toString('base64') };
    if (sha256) computed['sha256'] = sha256.digest('base64');
    if (sha1) computed['sha1'] = sha1.digest('base64');
    const md5Bytes = md5.digest();
    check(req, decoder, size, md5Bytes, computed, wantSha256 ? contentSha256 : undefined);
    return {
      file,
      size,
      md5Hex: md5Bytes.toString('hex'),
      crc32: computed['crc32']!,
      checksum: declaredChecksum(req, decoder),
    };
  } catch (err) {
    await discard(file);
    throw err;
  }
}

function hasChecksum(req: IncomingMessage, algorithm: string): boolean {
  return (
    header(req, `x-amz-checksum-${algorithm}`) !== undefined ||
    (header(req, 'x-amz-trailer') ?? '').toLowerCase() === `x-amz-checksum-${algorithm}`
  );
}

function declaredChecksum(req: IncomingMessage, decoder: AwsChunkedDecoder | undefined) {
  for (const [name, value] of decoder?.trailers ?? []) {
    if (name.startsWith('x-amz-checksum-')) return { name, value };
  }
  for (const [name, value] of Object.entries(req.headers)) {
    if (
      name.startsWith('x-amz-checksum-') &&
      name !== 'x-amz-checksum-algorithm' &&
      name !== 'x-amz-checksum-type' &&
      typeof value === 'string'
    ) {
      return { name, value };
    }
  }
  return undefined;
}

function check(
  req: IncomingMessage,
  decoder: AwsChunkedDecoder | undefined,
  size: number,
  md5: Buffer,
  computed: Record<string, string>,
  signedSha256: string | undefined,
): void {
  const decodedLength = header(req, 'x-amz-decoded-content-length');
  if (decoder && decodedLength !== undefined && Number(decodedLength) !== size) {
    throw new S3Error(
      'IncompleteBody',
      `You did not provide the number of bytes specified by the x-amz-decoded-content-length header (${decodedLength}); received ${size}.`,
      400,
    );
  }
  const contentMd5 = header(req, 'content-md5');
  if (contentMd5 !== undefined) {
    if (Buffer.from(contentMd5, 'base64').length !== 16)
      throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, {
        'Content-MD5': contentMd5,
      });
    if (contentMd5 !== md5.toString('base64')) {
      throw new S3Error(
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
        400,
        {
          ExpectedDigest: contentMd5,
          CalculatedDigest: md5.toString('base64'),
        },
      );
    }
  }
  if (signedSha256 !== undefined) {
    const got = Buffer.from(computed['sha256']!, 'base64').toString('hex');
    if (got !== signedSha256) {
      throw new S3Error(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
        {
          ClientComputedContentSHA256: signedSha256,
          S3ComputedContentSHA256: got,
        },
      );
    }
  }
  const declared = declaredChecksum(req, decoder);
  if (!declared) return;
  const algorithm = declared.name.slice('x-amz-checksum-'.length);
  const ours = computed[algorithm];
  // CRC32C and CRC64NVME have no implementation in Node's standard library: accepted unchecked.
  if (ours === undefined) {
    if (!['crc32c', 'crc64nvme'].includes(algorithm))
      throw invalidArgument(
        `Unknown checksum algorithm '${algorithm}'; use CRC32, CRC32C, CRC64NVME, SHA1 or SHA256.`,
      );
    return;
  }
  if (ours !== declared.value) {
    throw new S3Error(
      'BadDigest',
      `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      400,
    );
  }
}
