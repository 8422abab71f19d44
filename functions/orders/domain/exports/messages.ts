import type { ExportCallback, ExportFailureReason, ExportScope } from './state.js';

/** `at` is an ISO timestamp given by the caller: the domain never reads a clock. */
interface Timed {
  at: string;
}

/*
 * Commands, in the imperative: the caller asks for an export (RequestExport);
 * the worker starts a run, reports progress, and completes or fails it.
 */
export type RequestExport = Timed & {
  type: 'RequestExport';
  data: {
    exportId: string;
    requestedBy: string;
    scope: ExportScope;
    from: string;
    to: string;
    format: 'csv';
    callback?: ExportCallback;
  };
};
export type StartExport = Timed & { type: 'StartExport' };
export type RecordProgress = Timed & {
  type: 'RecordProgress';
  attempt: number;
  rowsWritten: number;
};
export type CompleteExport = Timed & {
  type: 'CompleteExport';
  attempt: number;
  rows: number;
  bytes: number;
  objectKey: string;
};
export type FailExport = Timed & { type: 'FailExport'; reason: ExportFailureReason };

export type ExportCommand =
  RequestExport | StartExport | RecordProgress | CompleteExport | FailExport;

/*
 * Events, in the past tense. ExportRequested, ExportSucceeded and ExportFailed
 * go on the bus; ExportStarted and ExportProgressed only change the stored job.
 */
export type ExportRequestedEvent = Timed & {
  type: 'ExportRequested';
  data: RequestExport['data'];
};
export type ExportStarted = Timed & { type: 'ExportStarted'; attempt: number };
export type ExportProgressed = Timed & { type: 'ExportProgressed'; rowsWritten: number };
export type ExportSucceededEvent = Timed & {
  type: 'ExportSucceeded';
  rows: number;
  bytes: number;
  objectKey: string;
};
export type ExportFailedEvent = Timed & { type: 'ExportFailed'; reason: ExportFailureReason };

export type ExportEvent =
  | ExportRequestedEvent
  | ExportStarted
  | ExportProgressed
  | ExportSucceededEvent
  | ExportFailedEvent;
