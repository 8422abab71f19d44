import type { PutEventsResponse, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { buildEvent, checkEntries, entryError } from '../entries.js';
import { optional } from '../input.js';
import { busNameOf } from '../model.js';
import { defineEventsAction } from './action.js';

// Entries keep their own checks (entries.ts): AWS renders the whole list in its length message.
const input = z.object({ Entries: z.unknown(), EndpointId: optional(z.string()) });

/**
 * 1-10 entries of at most 256 KB together; each entry fails on its own
 * (InvalidArgument, MalformedDetail, NotAuthorizedForSourceException).
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export const putEvents = defineEventsAction({
  input,
  run(host, i): PutEventsResponse {
    const entries = checkEntries(i.Entries);
    const at = host.now();
    const results: PutEventsResultEntry[] = [];
    let failed = 0;
    for (const entry of entries) {
      const error = entryError(entry);
      const busName = busNameOf(
        typeof entry['EventBusName'] === 'string' ? entry['EventBusName'] : undefined,
      );
      const bus = host.buses.get(busName);
      if (error || (!bus && host.strict)) {
        results.push(
          error ?? {
            ErrorCode: 'ResourceNotFoundException',
            ErrorMessage: `Event bus ${busName} does not exist. (local cloud: reported because it runs strict; AWS accepts and drops the event.)`,
          },
        );
        failed++;
        continue;
      }
      if (!bus) {
        // AWS accepts an event for a bus that does not exist and drops it (aws/aws-cli#9186).
        results.push({ EventId: buildEvent(entry, host.ctx, at)['id'] as string });
        continue;
      }
      // Fault injection (local/faults): the entry is throttled, as AWS does under load;
      // it is not put on the bus and the caller must retry it.
      if (host.faults?.enabled() && host.faults.roll('putEventsThrottle', bus.name)) {
        results.push({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' });
        failed++;
        continue;
      }
      const event = buildEvent(entry, host.ctx, at);
      host.dispatch(bus, event, at);
      results.push({ EventId: event['id'] as string });
    }
    return { FailedEntryCount: failed, Entries: results };
  },
});
