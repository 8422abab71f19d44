import { entryCode, sqsError } from '../errors.js';

type Entry = Record<string, unknown>;

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Validates a batch request's entries as SQS does before looking at any of them. */
export function batchEntries(entries: Entry[]): Entry[] {
  if (entries.length === 0) {
    throw sqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  }
  if (entries.length > 10) {
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const e of entries) {
    const id = e['Id'];
    if (typeof id !== 'string' || !BATCH_ID.test(id)) {
      throw sqsError(
        'InvalidBatchEntryId',
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. (local cloud: received ${String(id)}.)`,
      );
    }
    if (seen.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries;
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Runs `fn` for each entry; an entry that throws becomes a `Failed` entry, the others go on. */
export function perEntry<S>(
  entries: Entry[],
  fn: (e: Entry) => S,
): { Successful: S[]; Failed: BatchFailure[] } {
  const Successful: S[] = [];
  const Failed: BatchFailure[] = [];
  for (const e of entries) {
    try {
      Successful.push(fn(e));
    } catch (err) {
      Failed.push({
        Id: String(e['Id']),
        SenderFault: true,
        Code: entryCode(err),
        Message: (err as Error).message,
      });
    }
  }
  return { Successful, Failed };
}
