import type { ExportJob } from '../../domain/exports/state.js';

export const exportPath = (exportId: string) => `/exports/${exportId}`;

/** How long a download URL works. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;
/** What Retry-After says while an export is not finished. */
export const RETRY_AFTER_SECONDS = 2;

export interface Download {
  url: string;
  expiresAt: string;
}

/** The export as GET /exports/{exportId} shows it; never the callback's secret. */
export function exportView(job: ExportJob, download?: Download) {
  const common = {
    exportId: job.exportId,
    status: job.status,
    from: job.from,
    to: job.to,
    format: job.format,
    scope: job.scope,
    requestedAt: job.requestedAt,
    updatedAt: job.updatedAt,
    ...(job.callback && { callbackUrl: job.callback.url }),
    links: { self: exportPath(job.exportId) },
  };
  switch (job.status) {
    case 'PENDING':
      return common;
    case 'RUNNING':
      return { ...common, rowsWritten: job.rowsWritten };
    case 'SUCCEEDED':
      return {
        ...common,
        rows: job.rows,
        bytes: job.bytes,
        completedAt: job.completedAt,
        ...(download && { downloadUrl: download.url, expiresAt: download.expiresAt }),
      };
    case 'FAILED':
      return { ...common, reason: job.reason, failedAt: job.failedAt };
    default: {
      const _exhaustive: never = job;
      throw new Error(`Unhandled export status ${JSON.stringify(_exhaustive)}`);
    }
  }
}
