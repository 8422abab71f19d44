import * as z from 'zod';
import { customerId, piiCiphertext } from '#events/common.js';
import { exportFormat, exportId, exportScope } from '#events/orders/export-requested.js';
import { exportFailureReason } from '#events/orders/export-failed.js';

/*
 * The export aggregate: an asynchronous job, one member per status, each with
 * what that status knows. Declared with zod so the stored item is validated
 * when loaded.
 */

const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

/** Where completion is reported; the secret is sealed under the PII key, never in clear. */
export const callbackSchema = z.object({
  url: z.url(),
  secretCiphertext: piiCiphertext,
});

const common = {
  exportId,
  requestedBy: customerId,
  scope: exportScope,
  /** The window of placedAt, [from, to), as UTC ISO strings. */
  from: timestamp,
  to: timestamp,
  format: exportFormat,
  callback: callbackSchema.optional(),
  requestedAt: timestamp,
  updatedAt: timestamp,
};

export const pendingExportSchema = z.object({ status: z.literal('PENDING'), ...common });

export const runningExportSchema = z.object({
  status: z.literal('RUNNING'),
  ...common,
  /** Which run writes the object: a redelivery that takes over starts the next one. */
  attempt: z.number().int().min(1),
  rowsWritten: count,
  startedAt: timestamp,
});

export const succeededExportSchema = z.object({
  status: z.literal('SUCCEEDED'),
  ...common,
  attempt: z.number().int().min(1),
  rows: count,
  bytes: count,
  objectKey: z.string().min(1),
  completedAt: timestamp,
});

export const failedExportSchema = z.object({
  status: z.literal('FAILED'),
  ...common,
  reason: exportFailureReason,
  failedAt: timestamp,
});

export const exportJobSchema = z.discriminatedUnion('status', [
  pendingExportSchema,
  runningExportSchema,
  succeededExportSchema,
  failedExportSchema,
]);

export type ExportScope = z.infer<typeof exportScope>;
export type ExportCallback = z.infer<typeof callbackSchema>;
export type ExportFailureReason = z.infer<typeof exportFailureReason>;
export type PendingExport = z.infer<typeof pendingExportSchema>;
export type RunningExport = z.infer<typeof runningExportSchema>;
export type SucceededExport = z.infer<typeof succeededExportSchema>;
export type FailedExport = z.infer<typeof failedExportSchema>;
export type ExportJob = z.infer<typeof exportJobSchema>;
export type ExportStatus = ExportJob['status'];

/** Before RequestExport: no item in the table. */
export interface NoExport {
  status: 'NONE';
}
export const noExport: NoExport = Object.freeze({ status: 'NONE' });

export type ExportState = NoExport | ExportJob;

/** Whether the job has its final status: nothing changes it any more. */
export const isFinished = (state: ExportState): state is SucceededExport | FailedExport =>
  state.status === 'SUCCEEDED' || state.status === 'FAILED';

/** The object an export is written to: one key per export, whichever run writes it. */
export function exportObjectKey(
  job: Pick<ExportJob, 'exportId' | 'scope' | 'requestedBy'>,
): string {
  const owner = job.scope.kind === 'all' ? 'all' : job.scope.customerId;
  return `exports/${owner}/${job.exportId}.csv`;
}
