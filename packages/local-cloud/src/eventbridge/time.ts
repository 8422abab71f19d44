import { AwsError } from '../core/errors.js';

/** `YYYY-MM-DDTHH:mm:ssZ`: the second-precision form EventBridge writes in an event's `time`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Epoch seconds, the JSON 1.1 protocol's timestamp form in responses. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * A request timestamp in milliseconds. The SDKs and the CLI send epoch seconds
 * (a number, possibly fractional); hand-written requests sometimes send ISO text.
 */
export function parseTimestamp(value: unknown, member: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber * 1000;
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new AwsError(
    'SerializationException',
    `${member} must be a timestamp (epoch seconds or ISO 8601); received ${JSON.stringify(value)}.`,
  );
}
