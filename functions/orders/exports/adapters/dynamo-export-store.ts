import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { describeIssues } from '#events/contract.js';
import { commit } from '#plumbing/outbox.js';
import { exportJobSchema, type ExportJob } from '../../domain/exports/state.js';
import { createClaimingKey } from '../../adapters/create-claiming-key.js';
import type {
  CreateExport,
  ExportIdempotencyRecord,
  FindExportKey,
  LoadExport,
  SaveExport,
} from '../ports.js';

export const EXPORT_KIND = 'export';
export const EXPORT_KEY_KIND = 'export-idempotency-key';
/** As long as a POST /orders key: clients retry within minutes. */
export const EXPORT_KEY_TTL_SECONDS = 7 * 24 * 60 * 60;
/**
 * How long an export's item stays after it was asked for: its object expires
 * after 7 days (the bucket's lifecycle rule), the status a little later.
 */
export const EXPORT_TTL_SECONDS = 8 * 24 * 60 * 60;

export const exportPk = (exportId: string) => `EXPORT#${exportId}`;
export const exportKeyPk = (key: string) => `EXPORT_IDEMPOTENCY_KEY#${key}`;

const storedMeta = z.object({ version: z.number().int().positive() });
const storedKey = z.object({ key: z.string(), requestHash: z.string(), exportId: z.string() });

/** The export item: the job's fields at the top level, plus key, kind, version and expiry. */
export function exportItem(job: ExportJob, version: number) {
  const ttl = Math.floor(Date.parse(job.requestedAt) / 1000) + EXPORT_TTL_SECONDS;
  return { pk: exportPk(job.exportId), kind: EXPORT_KIND, version, ttl, ...job };
}

/** The export items of the orders table behind the export ports. */
export function dynamoExportStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): {
  loadExport: LoadExport;
  saveExport: SaveExport;
  createExport: CreateExport;
  findExportKey: FindExportKey;
} {
  const get = async (pk: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })))
      .Item;

  const loadExport: LoadExport = async (exportId) => {
    const item = await get(exportPk(exportId));
    if (!item) return undefined;
    const job = exportJobSchema.safeParse(item);
    const meta = storedMeta.safeParse(item);
    if (!job.success || !meta.success) {
      const issues = [
        ...(job.success ? [] : describeIssues(job.error)),
        ...(meta.success ? [] : describeIssues(meta.error)),
      ];
      throw new Error(
        `Item ${exportPk(exportId)} in ${tableName} is not a valid export (${issues.join('; ')}); repair or delete the item.`,
      );
    }
    return { job: job.data, version: meta.data.version };
  };

  const saveExport: SaveExport = ({ job, expectedVersion, events }) =>
    commit(
      client,
      tableName,
      {
        writes: [
          {
            Put: {
              TableName: tableName,
              Item: exportItem(job, expectedVersion + 1),
              // Optimistic concurrency: a run overtaken by another loses its next write.
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
        ],
        events,
      },
      now(),
    );

  const createExport: CreateExport = ({ job, events, idempotency }) =>
    createClaimingKey(
      client,
      tableName,
      {
        item: exportItem(job, 1),
        key: {
          pk: exportKeyPk(idempotency.key),
          kind: EXPORT_KEY_KIND,
          fields: idempotency,
          ttlSeconds: EXPORT_KEY_TTL_SECONDS,
        },
        events,
      },
      now(),
    );

  const findExportKey: FindExportKey = async (key) => {
    const item = await get(exportKeyPk(key));
    if (!item) return undefined;
    const parsed = storedKey.safeParse(item);
    if (!parsed.success) {
      throw new Error(
        `Item ${exportKeyPk(key)} in ${tableName} is not a valid export Idempotency-Key record (${describeIssues(parsed.error).join('; ')}).`,
      );
    }
    return parsed.data satisfies ExportIdempotencyRecord;
  };

  return { loadExport, saveExport, createExport, findExportKey };
}
