import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpCallback } from '../../../../../functions/orders/exports/adapters/http-callback.js';
import { s3ObjectWriter } from '../../../../../functions/orders/exports/adapters/s3-object-writer.js';
import { s3Presigner } from '../../../../../functions/orders/exports/adapters/s3-presigner.js';
import { sqsDelayRetry } from '../../../../../functions/orders/exports/adapters/sqs-delay-retry.js';

const s3 = mockClient(S3Client);
const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});

beforeEach(() => s3.reset());

/** The bytes of a streamed body, whatever the SDK handed the command. */
async function bytesOf(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('S3 object writer', () => {
  it('writes a small export with one PutObject, as text/csv, and counts its bytes', async () => {
    s3.on(PutObjectCommand).resolves({});
    const writer = s3ObjectWriter(client, 'exports-bucket')('exports/a/exp.csv');
    await writer.write('h\r\n');
    await writer.write('é\r\n');
    await expect(writer.finish()).resolves.toBe(Buffer.byteLength('h\r\né\r\n'));
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'exports-bucket',
      Key: 'exports/a/exp.csv',
      ContentType: 'text/csv; charset=utf-8',
    });
    expect((await bytesOf(input.Body)).toString()).toBe('h\r\né\r\n');
  });

  it('streams a large export as a multipart upload of parts no bigger than partSize', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake(async (input: { PartNumber: number }) => ({
      ETag: `e${input.PartNumber}`,
    }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const partSize = 5 * 1024 * 1024;
    const writer = s3ObjectWriter(client, 'b', { partSize, queueSize: 1 })('k');
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 12 * 1024; i++) await writer.write(line); // 12 MiB
    await expect(writer.finish()).resolves.toBe(12 * 1024 * 1024);
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    const sizes = await Promise.all(parts.map(async (p) => (await bytesOf(p.Body)).length));
    expect(sizes).toEqual([partSize, partSize, 2 * 1024 * 1024]);
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, { UploadId: 'up-1' });
  });

  it('abort leaves no object', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
    s3.on(UploadPartCommand).resolves({ ETag: 'e' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    const writer = s3ObjectWriter(client, 'b', { queueSize: 1 })('k');
    await writer.write('x'.repeat(6 * 1024 * 1024));
    await writer.abort();
    expect(s3).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

describe('S3 presigner', () => {
  it('signs a GET of one object in the query string, valid for the given seconds', async () => {
    const url = new URL(await s3Presigner(client, 'exports-bucket')('exports/a/exp.csv', 900));
    expect(url.pathname).toContain('exports/a/exp.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SQS delay', () => {
  it('sets the message visibility to the backoff, within SQS limits', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const delay = sqsDelayRetry(new SQSClient({ region: 'us-east-1' }), 'https://q/1');
    await delay('rh-1', 36.4);
    await delay('rh-2', 100_000);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'https://q/1', ReceiptHandle: 'rh-1', VisibilityTimeout: 36 },
      { QueueUrl: 'https://q/1', ReceiptHandle: 'rh-2', VisibilityTimeout: 43_200 },
    ]);
    sqs.restore();
  });
});

describe('HTTP callback', () => {
  let server: Server;
  let base: string;
  const seen: { url: string | undefined; headers: Record<string, unknown>; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/redirect') {
          res.writeHead(302, { location: '/elsewhere' }).end();
          return;
        }
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('POSTs the body and headers and answers the status, following no redirect', async () => {
    const post = httpCallback(2000);
    await expect(post(`${base}/ok`, '{"a":1}', { 'webhook-id': 'm1' })).resolves.toEqual({
      status: 204,
    });
    expect(seen.at(-1)).toMatchObject({ body: '{"a":1}', headers: { 'webhook-id': 'm1' } });
    await expect(post(`${base}/fail`, '{}', {})).resolves.toEqual({ status: 500 });
    await expect(post(`${base}/redirect`, '{}', {})).resolves.toEqual({ status: 302 });
    expect(seen.map((r) => r.url)).not.toContain('/elsewhere');
  });

  it('gives up after the timeout', async () => {
    await expect(httpCallback(200)(`${base}/slow`, '{}', {})).rejects.toThrow();
  });
});
