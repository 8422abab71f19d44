import { beforeEach, describe, expect, it } from 'vitest';
import { csvHeader, csvRow } from '../../../../functions/orders/domain/exports/csv.js';
import { runExport } from '../../../../functions/orders/domain/exports/decider.js';
import { noExport } from '../../../../functions/orders/domain/exports/state.js';
import {
  makeRunExport,
  type ExportWorkerDeps,
} from '../../../../functions/orders/handlers/export-worker.js';
import { ADA, EXPORT_ID, GRACE, requestExport, row } from './support/fixtures.js';
import { inMemoryBucket, inMemoryExports, inMemoryOrders } from './support/in-memory-exports.js';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const cause = { correlationId: EXPORT_ID, causationId: 'evt-requested' };
const KEY = `exports/${ADA}/${EXPORT_ID}.csv`;

let store: ReturnType<typeof inMemoryExports>;
let bucket: ReturnType<typeof inMemoryBucket>;

const adaRows = [1, 2, 3, 4, 5].map((n) => row(n));
const graceRows = [6, 7].map((n) => row(n, { customerId: GRACE }));

function deps(more: Partial<ExportWorkerDeps> = {}): ExportWorkerDeps {
  return {
    ...store,
    ...inMemoryOrders([...adaRows, ...graceRows]),
    openObjectWriter: bucket.openObjectWriter,
    now: () => NOW,
    progressEvery: 2,
    ...more,
  };
}

function seed(data = {}) {
  const { job } = runExport(requestExport(data, '2026-12-01T12:00:00.000Z'), noExport);
  store.jobs.set(EXPORT_ID, { job, version: 1 });
}

beforeEach(() => {
  store = inMemoryExports();
  bucket = inMemoryBucket();
});

describe('export worker', () => {
  it('streams the CSV of exactly the scope and window, then SUCCEEDED with ExportSucceeded', async () => {
    seed();
    await expect(makeRunExport(deps())(EXPORT_ID, cause)).resolves.toBe('succeeded');
    const csv = bucket.objects.get(KEY)!;
    expect(csv).toBe(csvHeader() + adaRows.map(csvRow).join(''));
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({
      status: 'SUCCEEDED',
      rows: 5,
      bytes: Buffer.byteLength(csv),
      objectKey: KEY,
    });
    expect(store.outbox.map((e) => e.detailType)).toEqual(['ExportSucceeded']);
    expect(store.outbox[0]!.detail).toMatchObject({
      metadata: { correlationId: EXPORT_ID, causationId: 'evt-requested' },
      data: { exportId: EXPORT_ID, requestedBy: ADA, rows: 5, objectKey: KEY, hasCallback: false },
    });
  });

  it('goes through RUNNING with rowsWritten as it goes', async () => {
    seed();
    await makeRunExport(deps())(EXPORT_ID, cause);
    const statuses = store.history.map((j) =>
      j.status === 'RUNNING' ? `RUNNING:${j.rowsWritten}` : j.status,
    );
    expect(statuses).toEqual(['RUNNING:0', 'RUNNING:2', 'RUNNING:4', 'SUCCEEDED']);
  });

  it('reads no order placed after the request, so every run of one export holds the same rows', async () => {
    seed({ to: '2027-01-01T00:00:00.000Z' });
    const orders = inMemoryOrders([...adaRows, row(9, { placedAt: '2026-12-01T13:00:00.000Z' })]);
    await makeRunExport(deps(orders))(EXPORT_ID, cause);
    expect(orders.queries[0]!.to).toBe('2026-12-01T12:00:00.000Z');
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({ rows: 5 });
  });

  it('writes a header-only file for an empty window', async () => {
    seed({ from: '2026-12-01T11:00:00.000Z', to: '2026-12-05T00:00:00.000Z' });
    await makeRunExport(deps())(EXPORT_ID, cause);
    expect(bucket.objects.get(KEY)).toBe(csvHeader());
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({ status: 'SUCCEEDED', rows: 0 });
  });

  it('does nothing for a finished export: a redelivered or replayed job writes no second file', async () => {
    seed();
    await makeRunExport(deps())(EXPORT_ID, cause);
    const writes = store.history.length;
    await expect(makeRunExport(deps())(EXPORT_ID, cause)).resolves.toBe('already-finished');
    expect(bucket.uploads).toHaveLength(1);
    expect(store.history).toHaveLength(writes);
    expect(store.outbox).toHaveLength(1);
  });

  it('a redelivery mid-export takes over; the overtaken run stops and completes nothing', async () => {
    seed();
    let second: Promise<unknown> | undefined;
    // The first run's orders: after its first page, the same job is delivered again.
    const orders = inMemoryOrders([...adaRows, ...graceRows]);
    const slow: ExportWorkerDeps['readOrderPages'] = async function* (query) {
      let pages = 0;
      for await (const page of orders.readOrderPages(query)) {
        yield page;
        if (++pages === 1 && !second) {
          second = makeRunExport(deps())(EXPORT_ID, cause);
          await second;
        }
      }
    };
    const first = await makeRunExport(deps({ readOrderPages: slow }))(EXPORT_ID, cause);
    expect(first).toBe('superseded');
    await expect(second).resolves.toBe('succeeded');
    expect(bucket.uploads.map((u) => u.state)).toEqual(['aborted', 'finished']);
    expect(bucket.objects.get(KEY)).toBe(csvHeader() + adaRows.map(csvRow).join(''));
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({
      status: 'SUCCEEDED',
      rows: 5,
      attempt: 2,
    });
    expect(store.outbox.map((e) => e.detailType)).toEqual(['ExportSucceeded']);
  });

  it('fails with TooManyRows beyond the limit, leaving no object', async () => {
    seed();
    await expect(makeRunExport(deps({ maxRows: 3 }))(EXPORT_ID, cause)).resolves.toBe('failed');
    expect(bucket.objects.size).toBe(0);
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({
      status: 'FAILED',
      reason: { code: 'TooManyRows', message: expect.stringMatching(/shorter window/) },
    });
    expect(store.outbox.map((e) => e.detailType)).toEqual(['ExportFailed']);
  });

  it('aborts the upload and rethrows when reading fails, so SQS retries the job', async () => {
    seed();
    const broken: ExportWorkerDeps['readOrderPages'] = async function* () {
      yield [row(1)];
      throw new Error('ProvisionedThroughputExceeded');
    };
    await expect(makeRunExport(deps({ readOrderPages: broken }))(EXPORT_ID, cause)).rejects.toThrow(
      /ProvisionedThroughput/,
    );
    expect(bucket.uploads.map((u) => u.state)).toEqual(['aborted']);
    expect(store.jobs.get(EXPORT_ID)!.job.status).toBe('RUNNING');
    // The retry starts again from scratch and finishes.
    await expect(makeRunExport(deps())(EXPORT_ID, cause)).resolves.toBe('succeeded');
    expect(store.jobs.get(EXPORT_ID)!.job).toMatchObject({ rows: 5, attempt: 2 });
  });

  it('refuses a job whose export does not exist', async () => {
    await expect(makeRunExport(deps())(EXPORT_ID, cause)).rejects.toThrow(/does not exist/);
  });
});
