/**
 * Decodes `Content-Encoding: aws-chunked` bodies, which SDK v3 and the AWS CLI
 * send for streamed uploads: `x-amz-content-sha256` is
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (signed chunks), `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
 * or `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER` (a trailing checksum), each chunk
 * `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, ended by a zero-size chunk and
 * optional trailer lines (`x-amz-checksum-crc32:<base64>`).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 * Given the request's signing context, each chunk's signature is checked
 * (`SignatureDoesNotMatch`); the trailer's signature is not.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './errors.js';
import { chunkSignature, type ChunkSigning } from './sigv4.js';

const CRLF = Buffer.from('\r\n');
/** A size line longer than this is not aws-chunked framing. */
const MAX_LINE = 4096;

const incomplete = (why: string) =>
  new S3Error(
    'IncompleteBody',
    `The request body is not valid aws-chunked encoding (${why}); send the chunks as SigV4 streaming describes, or a plain body.`,
    400,
  );

export function isAwsChunked(
  contentSha256: string | undefined,
  contentEncoding: string | undefined,
): boolean {
  return (
    (contentSha256 ?? '').startsWith('STREAMING-') ||
    (contentEncoding ?? '').split(',').some((e) => e.trim() === 'aws-chunked')
  );
}

export class AwsChunkedDecoder extends Transform {
  /** Trailer headers after the last chunk, lower-cased names. */
  readonly trailers = new Map<string, string>();
  private pending: Buffer = Buffer.alloc(0);
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private remaining = 0;
  private decoded = 0;
  private previous: string;
  private chunkSig: string | undefined;
  private chunkHash: Hash | undefined;
  private chunks = 0;

  constructor(private readonly signing?: ChunkSigning) {
    super();
    this.previous = signing?.seed ?? '';
  }

  private checkChunk(data: Hash | undefined): void {
    if (!this.signing) return;
    const provided = this.chunkSig;
    const expected = chunkSignature(
      this.signing,
      this.previous,
      (data ?? createHash('sha256')).digest('hex'),
    );
    if (provided !== expected) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        provided === undefined
          ? 'A chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body has no chunk-signature.'
          : 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
        { SignatureProvided: provided ?? '', ChunkNumber: String(this.chunks) },
      );
    }
    this.previous = expected;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // A body may end right after the zero chunk without the final blank line.
    if (this.state === 'trailer' && this.pending.length === 0) this.state = 'done';
    if (this.state !== 'done') done(incomplete(`the body ended inside a chunk (${this.state})`));
    else done();
  }

  /** Bytes of payload decoded so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.pending.length === 0) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.chunkHash?.update(this.pending.subarray(0, take));
        this.decoded += take;
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      if (this.state === 'data-end') {
        if (this.pending.length < 2) return;
        if (!this.pending.subarray(0, 2).equals(CRLF))
          throw incomplete('a chunk is not followed by CRLF');
        this.checkChunk(this.chunkHash);
        this.pending = this.pending.subarray(2);
        this.state = 'size';
        continue;
      }
      if (this.state === 'done') {
        this.pending = Buffer.alloc(0);
        return;
      }
      const end = this.pending.indexOf(CRLF);
      if (end < 0) {
        if (this.pending.length > MAX_LINE) throw incomplete('a chunk header line is too long');
        return;
      }
      const line = this.pending.subarray(0, end).toString('latin1');
      this.pending = this.pending.subarray(end + 2);
      if (this.state === 'trailer') {
        if (line === '') this.state = 'done';
        else {
          const colon = line.indexOf(':');
          if (colon < 0) throw incomplete(`trailer line '${line.slice(0, 60)}' has no ':'`);
          this.trailers.set(
            line.slice(0, colon).trim().toLowerCase(),
            line.slice(colon + 1).trim(),
          );
        }
        continue;
      }
      const [sizePart, ...extensions] = line.split(';');
      const sizeText = sizePart!.trim();
      this.chunks++;
      this.chunkSig = extensions
        .map((e) => e.trim())
        .find((e) => e.startsWith('chunk-signature='))
        ?.slice('chunk-signature='.length);
      this.chunkHash = this.signing ? createHash('sha256') : undefined;
      if (!/^[0-9a-fA-F]+$/.test(sizeText))
        throw incomplete(`chunk size '${sizeText.slice(0, 20)}' is not hexadecimal`);
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        this.checkChunk(undefined);
        this.state = 'trailer';
      } else {
        this.remaining = size;
        this.state = 'data';
      }
    }
  }
}
