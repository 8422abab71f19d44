import { causedBy, type Causation } from '#events/contract.js';
import { createConsumer, type EventHandler } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import { logger } from '#plumbing/powertools.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { exportJobConsumes } from '../consumes.js';
import { csvHeader, csvRow } from '../domain/exports/csv.js';
import { ExportNotFound, runExport } from '../domain/exports/decider.js';
import type { ExportCommand } from '../domain/exports/messages.js';
import { exportObjectKey, type RunningExport } from '../domain/exports/state.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { toExportBusEvents } from '../exports/bus-events.js';
import type { LoadExport, OpenObjectWriter, ReadOrderPages, SaveExport } from '../exports/ports.js';

export interface ExportWorkerDeps {
  loadExport: LoadExport;
  saveExport: SaveExport;
  readOrderPages: ReadOrderPages;
  openObjectWriter: OpenObjectWriter;
  now: () => Date;
  /** Rows between two RUNNING updates of rowsWritten. @default 500 */
  progressEvery?: number;
  /** Rows one export may hold; beyond, it fails asking for a narrower window. @default 1,000,000 */
  maxRows?: number;
}

export type ExportRunOutcome = 'succeeded' | 'failed' | 'already-finished' | 'superseded';

/** Thrown inside a run when another run of the same export moved its version on. */
class Superseded extends Error {}

/**
 * Runs one export job: marks it RUNNING (the next attempt, if a run was
 * already going: a redelivery takes over and starts again from scratch),
 * streams the CSV to the export's one object key page by page while
 * recording rowsWritten, then commits SUCCEEDED with ExportSucceeded. Every
 * write is conditioned on the version the run last wrote, so a run that was
 * taken over stops at its next write and never completes the job; a finished
 * job is left alone. Either way there is one object, written whole by the run
 * that completed.
 */
export function makeRunExport(deps: ExportWorkerDeps) {
  const progressEvery = deps.progressEvery ?? 500;
  const maxRows = deps.maxRows ?? 1_000_000;

  return async (exportId: string, cause: Causation): Promise<ExportRunOutcome> => {
    const started = await retryOnConflict(async () => {
      const stored = await deps.loadExport(exportId);
      if (!stored) throw new ExportNotFound(exportId, 'StartExport');
      const { events, job } = runExport(
        { type: 'StartExport', at: deps.now().toISOString() },
        stored.job,
      );
      if (events.length === 0) return undefined;
      await deps.saveExport({ job, expectedVersion: stored.version, events: [] });
      return { job: job as RunningExport, version: stored.version + 1 };
    });
    if (!started) {
      logger.info('Export already finished; nothing to do', { exportId });
      return 'already-finished';
    }
    let { job, version } = started;

    /** Decides on the run's own state and stores it on top of the version it wrote last. */
    const apply = async (command: ExportCommand) => {
      const at = deps.now();
      const { events, job: next } = runExport(command, job);
      if (events.length === 0) return;
      try {
        await deps.saveExport({
          job: next,
          expectedVersion: version,
          events: toExportBusEvents(events, next, cause, () => at),
        });
      } catch (error) {
        if (error instanceof ConcurrentUpdateError) throw new Superseded();
        throw error;
      }
      version += 1;
      if (next.status === 'RUNNING') job = next;
    };

    const objectKey = exportObjectKey(job);
    const writer = deps.openObjectWriter(objectKey);
    // Orders placed after the request are not in it, so every run of one export reads the same rows.
    const until = Date.parse(job.to) < Date.parse(job.requestedAt) ? job.to : job.requestedAt;
    let rows = 0;
    let reported = 0;
    try {
      await writer.write(csvHeader());
      if (Date.parse(until) > Date.parse(job.from)) {
        for await (const page of deps.readOrderPages({
          scope: job.scope,
          from: job.from,
          to: until,
        })) {
          if (rows + page.length > maxRows) {
            await writer.abort();
            await apply({
              type: 'FailExport',
              at: deps.now().toISOString(),
              reason: {
                code: 'TooManyRows',
                message: `The window holds more than ${maxRows} orders; ask for a shorter window (several exports).`,
              },
            });
            logger.warn('Export failed: too many rows', { exportId, maxRows });
            return 'failed';
          }
          await writer.write(page.map(csvRow).join(''));
          rows += page.length;
          if (rows - reported >= progressEvery) {
            await apply({
              type: 'RecordProgress',
              at: deps.now().toISOString(),
              attempt: job.attempt,
              rowsWritten: rows,
            });
            reported = rows;
          }
        }
      }
      const bytes = await writer.finish();
      await apply({
        type: 'CompleteExport',
        at: deps.now().toISOString(),
        attempt: job.attempt,
        rows,
        bytes,
        objectKey,
      });
      logger.info('Export written', { exportId, rows, bytes, attempt: job.attempt });
      return 'succeeded';
    } catch (error) {
      await writer.abort();
      if (error instanceof Superseded) {
        logger.info('Export taken over by a later run; this run stops', {
          exportId,
          attempt: job.attempt,
        });
        return 'superseded';
      }
      throw error;
    }
  };
}

export function makeHandleExportJob(
  deps: ExportWorkerDeps,
): EventHandler<(typeof exportJobConsumes)[number]> {
  const run = makeRunExport(deps);
  return async (event) => {
    await run(event.detail.data.exportId, causedBy(event));
  };
}

/**
 * The SQS consumer of export jobs. The job's own status is its idempotency (a
 * finished job is a no-op), and a redelivery can take over a run that died.
 */
export function makeExportWorker(deps: ExportWorkerDeps) {
  return createConsumer({
    consumes: exportJobConsumes,
    handle: makeHandleExportJob(deps),
  });
}

export const handler = instrument(lazyHandler(() => makeExportWorker(defaultDeps())));
