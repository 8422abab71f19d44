import { beforeEach, describe, expect, it } from 'vitest';
import { runExport } from '../../../../functions/orders/domain/exports/decider.js';
import type { ExportCommand } from '../../../../functions/orders/domain/exports/messages.js';
import { noExport, type ExportJob } from '../../../../functions/orders/domain/exports/state.js';
import { makeGetExport } from '../../../../functions/orders/handlers/get-export.js';
import {
  context,
  customerClaims,
  httpEvent,
  operatorClaims,
  parseJson,
} from '../../../support/lambda-events.js';
import { ADA, at, EXPORT_ID, GRACE, requestExport } from './support/fixtures.js';
import { inMemoryExports } from './support/in-memory-exports.js';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const KEY = `exports/${ADA}/${EXPORT_ID}.csv`;

let store: ReturnType<typeof inMemoryExports>;
let presigned: { key: string; seconds: number }[];

function seed(...commands: ExportCommand[]): ExportJob {
  let { job } = runExport(requestExport(), noExport);
  for (const c of commands) job = runExport(c, job).job;
  store.jobs.set(EXPORT_ID, { job, version: 1 });
  return job;
}

async function get(claims = customerClaims(ADA), exportId = EXPORT_ID) {
  const handler = makeGetExport({
    loadExport: store.loadExport,
    presignDownload: async (key, seconds) => {
      presigned.push({ key, seconds });
      return `https://bucket.example/${key}?X-Amz-Signature=abc`;
    },
    now: () => NOW,
  });
  const result = await handler(
    httpEvent({
      method: 'GET',
      path: `/exports/${exportId}`,
      pathParameters: { exportId },
      claims,
    }),
    context,
  );
  return {
    status: result.statusCode,
    headers: result.headers as Record<string, string>,
    body: parseJson(result.body),
  };
}

beforeEach(() => {
  store = inMemoryExports();
  presigned = [];
});

const start = { type: 'StartExport', at: at(1) } as const;

describe('GET /exports/{exportId}', () => {
  it('shows a PENDING export with Retry-After and its link', async () => {
    seed();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      exportId: EXPORT_ID,
      status: 'PENDING',
      links: { self: `/exports/${EXPORT_ID}` },
    });
    expect(res.headers['retry-after']).toBe('2');
  });

  it('shows a RUNNING export with the rows written so far', async () => {
    seed(start, { type: 'RecordProgress', at: at(2), attempt: 1, rowsWritten: 1500 });
    const res = await get();
    expect(res.body).toMatchObject({ status: 'RUNNING', rowsWritten: 1500 });
    expect(res.headers['retry-after']).toBe('2');
  });

  it('gives a SUCCEEDED export a download URL presigned for 15 minutes', async () => {
    seed(start, {
      type: 'CompleteExport',
      at: at(3),
      attempt: 1,
      rows: 3,
      bytes: 210,
      objectKey: KEY,
    });
    const res = await get();
    expect(res.body).toMatchObject({
      status: 'SUCCEEDED',
      rows: 3,
      bytes: 210,
      downloadUrl: `https://bucket.example/${KEY}?X-Amz-Signature=abc`,
      expiresAt: '2026-12-02T10:15:00.000Z',
    });
    expect(presigned).toEqual([{ key: KEY, seconds: 900 }]);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('shows a FAILED export with its reason', async () => {
    seed(start, {
      type: 'FailExport',
      at: at(3),
      reason: { code: 'TooManyRows', message: 'narrow it' },
    });
    const res = await get();
    expect(res.body).toMatchObject({
      status: 'FAILED',
      reason: { code: 'TooManyRows', message: 'narrow it' },
    });
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('is a 404 to another customer, as for a missing export; an operator sees it', async () => {
    seed(start, {
      type: 'CompleteExport',
      at: at(3),
      attempt: 1,
      rows: 3,
      bytes: 210,
      objectKey: KEY,
    });
    const grace = await get(customerClaims(GRACE));
    expect(grace.status).toBe(404);
    expect(grace.body).toMatchObject({ error: 'ExportNotFound' });
    expect(presigned).toEqual([]);
    const missing = await get(customerClaims(ADA), `exp_${'f'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect((await get(operatorClaims('admin'))).status).toBe(200);
  });

  it('never shows the callback secret', async () => {
    let { job } = runExport(
      requestExport({
        callback: { url: 'https://example.com/h', secretCiphertext: 'pii:v1:sealed' },
      }),
      noExport,
    );
    store.jobs.set(EXPORT_ID, { job, version: 1 });
    job = store.jobs.get(EXPORT_ID)!.job;
    const res = await get();
    expect(JSON.stringify(res.body)).not.toContain('pii:v1');
    expect(res.body['callbackUrl']).toBe(job.callback!.url);
  });

  it('refuses a malformed id with a 400 naming it', async () => {
    const res = await get(customerClaims(ADA), 'nope');
    expect(res.status).toBe(400);
    expect((res.body['fields'] as { field: string }[])[0]!.field).toBe('exportId');
  });
});
