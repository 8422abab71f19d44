import type { RecordedEvent } from '@shop/local-cloud';
import { CliError } from './cli.js';
import type { LocalCloudInfo } from './aws.js';

export type { RecordedEvent };

/**
 * Every event the local cloud's buses accepted (replays and bus-to-bus
 * forwards included), oldest first, from `GET /_local/events`. AWS has no
 * such log; callers say so rather than pretend.
 */
export async function recordedEvents(
  local: LocalCloudInfo,
  filter: { correlationId?: string } = {},
): Promise<RecordedEvent[]> {
  const url = new URL('/_local/events', local.endpoint);
  if (filter.correlationId !== undefined)
    url.searchParams.set('correlationId', filter.correlationId);
  const res = await fetch(url);
  if (!res.ok) {
    throw new CliError(
      `The local cloud's event log (${url.pathname}) answered ${res.status}: ${await res.text()}`,
    );
  }
  const body = (await res.json()) as { events?: RecordedEvent[] };
  return body.events ?? [];
}

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
