import type { DomainEvent } from '#events/contract.js';
import type { CommitResult } from '#plumbing/outbox.js';
import type { ExportRow } from '../domain/exports/csv.js';
import type { ExportJob, ExportScope } from '../domain/exports/state.js';

/** An export as stored, with the version its next write is conditioned on. */
export interface StoredExport {
  job: ExportJob;
  version: number;
}

/** Reads one export (strongly consistent); undefined when there is none. */
export type LoadExport = (exportId: string) => Promise<StoredExport | undefined>;

export interface ExportChange {
  job: ExportJob;
  /** The version that was loaded or last written; the write fails if another writer moved it on. */
  expectedVersion: number;
  /** Events to publish with the change (transactional outbox). */
  events: readonly DomainEvent[];
}

/** Stores a changed export and its events in one transaction; ConcurrentUpdateError when the version moved. */
export type SaveExport = (change: ExportChange) => Promise<CommitResult>;

/** The Idempotency-Key of POST /exports and what it was first used for. */
export interface ExportIdempotencyRecord {
  key: string;
  /** SHA-256 of the canonical request body and its caller. */
  requestHash: string;
  exportId: string;
}

export type FindExportKey = (key: string) => Promise<ExportIdempotencyRecord | undefined>;

export interface NewExport {
  job: ExportJob;
  events: readonly DomainEvent[];
  idempotency: ExportIdempotencyRecord;
}

/** Stores a new export, its event and its Idempotency-Key in one transaction; 'key-taken' when another request claimed the key. */
export type CreateExport = (change: NewExport) => Promise<'created' | 'key-taken'>;

/** Which orders an export reads: the scope, placed in [from, to). */
export interface OrderQuery {
  scope: ExportScope;
  from: string;
  to: string;
}

/** The orders of a query, page by page, oldest first within a customer or a day. */
export type ReadOrderPages = (query: OrderQuery) => AsyncIterable<readonly ExportRow[]>;

/** An object being written by streaming (multipart); nothing is held whole. */
export interface ObjectWriter {
  write(chunk: string): Promise<void>;
  /** Completes the upload; answers the bytes written. */
  finish(): Promise<number>;
  /** Abandons the upload (no object, parts discarded). */
  abort(): Promise<void>;
}

/** Starts writing the object at `key` (replacing any earlier one). */
export type OpenObjectWriter = (key: string) => ObjectWriter;

/** A GET URL for the object at `key`, valid `expiresInSeconds`, needing no credentials. */
export type PresignDownload = (key: string, expiresInSeconds: number) => Promise<string>;

/** The caller's answer to a callback POST. */
export interface CallbackResponse {
  status: number;
}

/** POSTs `body` to `url` with `headers`, within a timeout; throws on a network error or timeout. */
export type PostCallback = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<CallbackResponse>;

/** Holds an SQS message back for `seconds` before it is received again. */
export type DelayRetry = (receiptHandle: string, seconds: number) => Promise<void>;
