/**
 * The order-exports path end to end on the local runtime: a function, with
 * the endpoint and role key the runtime gives it, streams a CSV through
 * lib-storage (multipart) and presigns a 15-minute GET; a client without
 * credentials downloads it from the edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaService } from '../../src/app/lambda/service.js';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';
import { defineFunction } from '../app/lambda/support.js';

let cloud: LocalCloud;
let lambda: LambdaService;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  lambda = new LambdaService({
    endpoint: cloud.endpoint,
    region: cloud.context.region,
    accountId: cloud.context.accountId,
    log: () => {},
  });
});

afterAll(async () => {
  await lambda?.stop();
  await cloud?.stop();
});

const handler = `
import { S3Client, CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';

const s3 = new S3Client({});
export const handler = async ({ bucket, rows }) => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  function* csv() {
    yield 'orderId,totalCents\\n';
    for (let i = 0; i < rows; i++) yield \`ord_\${String(i).padStart(8, '0')},\${1000 + i}\\n\`;
  }
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: 'exports/exp_1.csv', Body: Readable.from(csv()), ContentType: 'text/csv' },
    partSize: 5 * 1024 * 1024,
  });
  const done = await upload.done();
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'exports/exp_1.csv' }), { expiresIn: 900 });
  return { etag: done.ETag, url, key: process.env.AWS_ACCESS_KEY_ID };
};
`;

describe('S3 from a local function', () => {
  it('uploads a multipart CSV and hands out a presigned URL that a client downloads without credentials', async () => {
    const fn = defineFunction(
      lambda,
      'exporter',
      { 'index.mjs': handler },
      { timeoutSeconds: 60, accessKeyId: cloud.iam.registerCaller('ExporterRole', 'exporter') },
    );
    // 400,000 rows of 21 bytes: about 8 MiB, two parts.
    const out = await fn.invoke({ bucket: 'function-exports', rows: 400_000 });
    if (!out.ok) throw new Error(`invocation failed: ${JSON.stringify(out)}`);
    const { etag, url, key } = JSON.parse(out.payload!) as {
      etag: string;
      url: string;
      key: string;
    };
    expect(key).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(new URL(url).host).toBe(new URL(cloud.endpoint).host);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');

    const res = await fetch(url);
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(400_001);
    expect(lines[0]).toBe('orderId,totalCents');
    expect(lines[400_000]).toBe('ord_00399999,400999');
  }, 90_000);
});
