import type { Decider } from '#plumbing/decider.js';
import type { ExportCommand, ExportEvent } from './messages.js';
import { isFinished, noExport, type ExportJob, type ExportState } from './state.js';

/** A command for an export that does not exist (a job message without its item): retried, then dead-lettered. */
export class ExportNotFound extends Error {
  constructor(
    readonly exportId: string | undefined,
    readonly commandType: string,
  ) {
    super(
      `${commandType} names export ${exportId ?? '(none)'}, which does not exist; refusing to invent it.`,
    );
    this.name = 'ExportNotFound';
  }
}

/** RequestExport on an id that is taken: ids are random, so this is a bug, never a retry. */
export class ExportAlreadyExists extends Error {
  constructor(readonly exportId: string) {
    super(`Export ${exportId} already exists; every request needs a new export id.`);
    this.name = 'ExportAlreadyExists';
  }
}

/**
 * What a command decides. A run (attempt) is fenced: progress and completion
 * count only for the attempt that is running, so a run overtaken by a
 * redelivery cannot finish the job with its own figures. A finished job
 * ignores everything, which is what makes a redelivered or replayed job a no-op.
 */
export function decide(command: ExportCommand, state: ExportState): ExportEvent[] {
  const { at } = command;
  if (command.type === 'RequestExport') {
    if (state.status !== 'NONE') throw new ExportAlreadyExists(command.data.exportId);
    return [{ type: 'ExportRequested', at, data: command.data }];
  }
  if (state.status === 'NONE') throw new ExportNotFound(undefined, command.type);
  if (isFinished(state)) return [];
  switch (command.type) {
    case 'StartExport':
      return [
        { type: 'ExportStarted', at, attempt: state.status === 'RUNNING' ? state.attempt + 1 : 1 },
      ];
    case 'RecordProgress':
      return state.status === 'RUNNING' &&
        state.attempt === command.attempt &&
        command.rowsWritten > state.rowsWritten
        ? [{ type: 'ExportProgressed', at, rowsWritten: command.rowsWritten }]
        : [];
    case 'CompleteExport':
      return state.status === 'RUNNING' && state.attempt === command.attempt
        ? [
            {
              type: 'ExportSucceeded',
              at,
              rows: command.rows,
              bytes: command.bytes,
              objectKey: command.objectKey,
            },
          ]
        : [];
    case 'FailExport':
      return [{ type: 'ExportFailed', at, reason: command.reason }];
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unhandled export command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** Folds one event into the job. */
export function evolve(state: ExportState, event: ExportEvent): ExportState {
  switch (event.type) {
    case 'ExportRequested':
      return {
        status: 'PENDING',
        ...event.data,
        requestedAt: event.at,
        updatedAt: event.at,
      };
    case 'ExportStarted':
      return state.status === 'PENDING' || state.status === 'RUNNING'
        ? {
            ...common(state),
            status: 'RUNNING',
            attempt: event.attempt,
            rowsWritten: 0,
            startedAt: event.at,
            updatedAt: event.at,
          }
        : state;
    case 'ExportProgressed':
      return state.status === 'RUNNING'
        ? { ...state, rowsWritten: event.rowsWritten, updatedAt: event.at }
        : state;
    case 'ExportSucceeded':
      return state.status === 'RUNNING'
        ? {
            ...common(state),
            status: 'SUCCEEDED',
            attempt: state.attempt,
            rows: event.rows,
            bytes: event.bytes,
            objectKey: event.objectKey,
            completedAt: event.at,
            updatedAt: event.at,
          }
        : state;
    case 'ExportFailed':
      return state.status === 'PENDING' || state.status === 'RUNNING'
        ? {
            ...common(state),
            status: 'FAILED',
            reason: event.reason,
            failedAt: event.at,
            updatedAt: event.at,
          }
        : state;
    default: {
      const _exhaustive: never = event;
      throw new Error(`Unhandled export event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The fields every status shares, without those of the status it leaves. */
function common(job: ExportJob) {
  const { exportId, requestedBy, scope, from, to, format, callback, requestedAt, updatedAt } = job;
  return {
    exportId,
    requestedBy,
    scope,
    from,
    to,
    format,
    ...(callback && { callback }),
    requestedAt,
    updatedAt,
  };
}

export const exportDecider = {
  initialState: noExport as ExportState,
  decide,
  evolve,
} satisfies Decider<ExportState, ExportCommand, ExportEvent>;

/** Decides and folds: the events and the job they lead to (every command leaves a job or throws). */
export function runExport(
  command: ExportCommand,
  state: ExportState,
): { events: ExportEvent[]; job: ExportJob } {
  const events = decide(command, state);
  const next = events.reduce(evolve, state);
  if (next.status === 'NONE') {
    throw new Error(`${command.type} decided nothing on a missing export instead of throwing`);
  }
  return { events, job: next };
}
