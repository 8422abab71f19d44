import type { DomainEvent } from '#events/contract.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import type { ExportRow } from '../../../../../functions/orders/domain/exports/csv.js';
import type { ExportJob } from '../../../../../functions/orders/domain/exports/state.js';
import type {
  CreateExport,
  ExportIdempotencyRecord,
  FindExportKey,
  LoadExport,
  ObjectWriter,
  OpenObjectWriter,
  OrderQuery,
  ReadOrderPages,
  SaveExport,
} from '../../../../../functions/orders/exports/ports.js';

/**
 * The export items in memory, with the adapter's guarantees: versioned
 * writes, the Idempotency-Key claimed with the export, an outbox.
 */
export function inMemoryExports() {
  const jobs = new Map<string, { job: ExportJob; version: number }>();
  const keys = new Map<string, ExportIdempotencyRecord>();
  const outbox: DomainEvent[] = [];
  const history: ExportJob[] = [];
  const copy = <T>(v: T): T => structuredClone(v);

  const loadExport: LoadExport = async (id) => {
    const stored = jobs.get(id);
    return stored && copy(stored);
  };
  const saveExport: SaveExport = async ({ job, expectedVersion, events }) => {
    if (jobs.get(job.exportId)?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    }
    jobs.set(job.exportId, { job: copy(job), version: expectedVersion + 1 });
    history.push(copy(job));
    outbox.push(...events);
    return 'committed';
  };
  const createExport: CreateExport = async ({ job, events, idempotency }) => {
    if (keys.has(idempotency.key)) return 'key-taken';
    jobs.set(job.exportId, { job: copy(job), version: 1 });
    keys.set(idempotency.key, copy(idempotency));
    history.push(copy(job));
    outbox.push(...events);
    return 'created';
  };
  const findExportKey: FindExportKey = async (key) => {
    const record = keys.get(key);
    return record && copy(record);
  };
  return { loadExport, saveExport, createExport, findExportKey, jobs, keys, outbox, history };
}

/** Orders by customer, served in pages of `pageSize` as the index would: in the window, oldest first. */
export function inMemoryOrders(rows: readonly ExportRow[], pageSize = 2) {
  const queries: OrderQuery[] = [];
  const readOrderPages: ReadOrderPages = async function* (query) {
    queries.push(query);
    const matching = rows
      .filter((r) => query.scope.kind === 'all' || r.customerId === query.scope.customerId)
      .filter((r) => r.placedAt >= query.from && r.placedAt < query.to)
      .sort((a, b) => a.placedAt.localeCompare(b.placedAt));
    for (let i = 0; i < matching.length; i += pageSize) yield matching.slice(i, i + pageSize);
  };
  return { readOrderPages, queries };
}

/** A bucket in memory: an object appears only when its writer finishes. */
export function inMemoryBucket() {
  const objects = new Map<string, string>();
  const uploads: { key: string; state: 'open' | 'finished' | 'aborted' }[] = [];
  const openObjectWriter: OpenObjectWriter = (key): ObjectWriter => {
    const upload = { key, state: 'open' as 'open' | 'finished' | 'aborted' };
    uploads.push(upload);
    let body = '';
    return {
      async write(chunk) {
        if (upload.state !== 'open') throw new Error(`write after ${upload.state}`);
        body += chunk;
      },
      async finish() {
        upload.state = 'finished';
        objects.set(key, body);
        return Buffer.byteLength(body);
      },
      async abort() {
        if (upload.state === 'open') upload.state = 'aborted';
      },
    };
  };
  return { openObjectWriter, objects, uploads };
}
