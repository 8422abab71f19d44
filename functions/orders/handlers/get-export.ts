import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  callerOf,
  httpHandler,
  json,
  mayAccess,
  parseParams,
  type HttpEvent,
} from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import {
  DOWNLOAD_URL_SECONDS,
  exportView,
  RETRY_AFTER_SECONDS,
} from '../exports/http/export-view.js';
import { exportIdParams, exportNotFound } from '../exports/http/requests.js';
import type { LoadExport, PresignDownload } from '../exports/ports.js';

export interface GetExportDeps {
  loadExport: LoadExport;
  presignDownload: PresignDownload;
  now: () => Date;
}

/**
 * GET /exports/{exportId}: the export's status to whoever asked for it or an
 * operator (a 404 otherwise, as for a missing one). A finished export comes
 * with a download URL presigned for 15 minutes; one not finished with
 * Retry-After. This is the one function that may read the exports bucket.
 */
export function makeGetExport(deps: GetExportDeps) {
  return httpHandler(async (event: HttpEvent) => {
    const caller = callerOf(event);
    const { exportId } = parseParams(event.pathParameters, exportIdParams);
    const stored = await deps.loadExport(exportId);
    if (!stored || !mayAccess(caller, stored.job.requestedBy)) throw exportNotFound(exportId);
    const { job } = stored;
    if (job.status === 'SUCCEEDED') {
      const at = deps.now();
      const url = await deps.presignDownload(job.objectKey, DOWNLOAD_URL_SECONDS);
      const expiresAt = new Date(at.getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
      return json(200, exportView(job, { url, expiresAt }), { 'cache-control': 'no-store' });
    }
    if (job.status === 'FAILED') return json(200, exportView(job));
    return json(200, exportView(job), { 'retry-after': String(RETRY_AFTER_SECONDS) });
  });
}

export const handler = instrument(lazyHandler(() => makeGetExport(defaultDeps())));
