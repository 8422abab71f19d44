import { randomUUID } from 'node:crypto';
import type { CloudContext } from '../core/types.js';
import type { BusEvent } from './model.js';
import { isoSeconds, parseTimestamp } from './time.js';
import { validationError, type Input } from './validate.js';

/** PutEvents limits, from "Amazon EventBridge quotas" and the PutEvents API reference. */
export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

export interface EntryError {
  ErrorCode: string;
  ErrorMessage: string;
}

/** Checks the whole request: 1-10 entries and the 256 KB size AWS computes. */
export function checkEntries(entries: unknown): Input[] {
  if (!Array.isArray(entries)) {
    throw validationError(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound =
      entries.length < 1
        ? 'Member must have length greater than or equal to 1'
        : `Member must have length less than or equal to ${MAX_ENTRIES}`;
    throw validationError(
      `1 validation error detected: Value '[${entries.map(describeEntry).join(', ')}]' ` +
        `at 'entries' failed to satisfy constraint: ${bound}`,
    );
  }
  const list = entries.map((entry) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Input) : {},
  );
  for (const entry of list) {
    // A bad timestamp fails the whole request, as a serialization error does in AWS.
    if (entry['Time'] !== undefined && entry['Time'] !== null)
      parseTimestamp(entry['Time'], 'Time');
  }
  const total = list.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_REQUEST_BYTES) {
    throw validationError('Total size of the entries in the request is over the limit.');
  }
  return list;
}

/**
 * Entry size as "Calculating Amazon EventBridge PutEvents event entry size"
 * defines it: 14 bytes for Time, plus the UTF-8 bytes of Source, DetailType,
 * Detail and each Resources entry.
 */
export function entrySize(entry: Input): number {
  const bytes = (value: unknown) =>
    typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
  let size = entry['Time'] !== undefined && entry['Time'] !== null ? 14 : 0;
  size += bytes(entry['Source']) + bytes(entry['DetailType']) + bytes(entry['Detail']);
  if (Array.isArray(entry['Resources'])) {
    for (const resource of entry['Resources']) size += bytes(resource);
  }
  return size;
}

/** Per-entry checks, in the order AWS applies them; `undefined` when the entry is valid. */
export function entryError(entry: Input): EntryError | undefined {
  for (const member of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[member];
    if (typeof value !== 'string' || value === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
      };
    }
  }
  if (parseDetail(entry['Detail'] as string) === undefined) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if ((entry['Source'] as string).startsWith('aws.')) {
    // Only AWS services may put events with an `aws.` source.
    return {
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    };
  }
  const resources = entry['Resources'];
  if (resources !== undefined && resources !== null) {
    if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage:
          'Parameter Resources is not valid. Reason: Resources must be a list of strings.',
      };
    }
  }
  return undefined;
}

/** Detail must be a JSON object: strings, arrays and double-encoded JSON are all "malformed". */
export function parseDetail(detail: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // malformed
  }
  return undefined;
}

/** The event as EventBridge delivers it, fields in AWS's order. */
export function buildEvent(
  entry: Input,
  ctx: Pick<CloudContext, 'accountId' | 'region'>,
  now: number,
): BusEvent {
  const time =
    entry['Time'] === undefined || entry['Time'] === null
      ? now
      : parseTimestamp(entry['Time'], 'Time');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry['DetailType'],
    source: entry['Source'],
    account: ctx.accountId,
    time: isoSeconds(time),
    region: ctx.region,
    resources: Array.isArray(entry['Resources']) ? [...(entry['Resources'] as string[])] : [],
    detail: parseDetail(entry['Detail'] as string) ?? {},
  };
}

/** Mirrors AWS's rendering of the entry list in its "length" validation message. */
function describeEntry(entry: unknown): string {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Input;
  const show = (value: unknown) => (value === undefined || value === null ? 'null' : String(value));
  let detail = 'null';
  if (typeof e['Detail'] === 'string') {
    const parsed = parseDetail(e['Detail']);
    detail = parsed
      ? JSON.stringify(parsed).replace(/":/g, '": ').replace(/,"/g, ', "')
      : e['Detail'];
  }
  return (
    `PutEventsRequestEntry(time=${show(e['Time'])}, source=${show(e['Source'])}, ` +
    `resources=${show(e['Resources'])}, detailType=${show(e['DetailType'])}, detail=${detail}, ` +
    `eventBusName=${show(e['EventBusName'])}, traceHeader=${show(e['TraceHeader'])}, ` +
    `kmsKeyIdentifier=null, internalMetadata=null)`
  );
}
