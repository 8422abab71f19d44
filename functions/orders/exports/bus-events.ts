import { createEvent, type Causation, type DomainEvent } from '#events/contract.js';
import { ExportFailed, ExportRequested, ExportSucceeded } from '#events';
import type { ExportEvent } from '../domain/exports/messages.js';
import type { ExportJob } from '../domain/exports/state.js';

/**
 * The events of an export decision that go on the bus, validated against
 * their contracts. `job` is the export they lead to: it says who asked and
 * whether a callback waits, never the callback's URL or secret.
 * ExportStarted and ExportProgressed only change the stored job.
 */
export function toExportBusEvents(
  events: readonly ExportEvent[],
  job: ExportJob,
  cause: Causation,
  now: () => Date = () => new Date(),
): DomainEvent[] {
  const hasCallback = job.callback !== undefined;
  const out: DomainEvent[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'ExportRequested': {
        const { callback: _secret, ...data } = event.data;
        out.push(createEvent(ExportRequested, { ...data, hasCallback }, cause, now));
        break;
      }
      case 'ExportSucceeded':
        out.push(
          createEvent(
            ExportSucceeded,
            {
              exportId: job.exportId,
              requestedBy: job.requestedBy,
              rows: event.rows,
              bytes: event.bytes,
              objectKey: event.objectKey,
              hasCallback,
            },
            cause,
            now,
          ),
        );
        break;
      case 'ExportFailed':
        out.push(
          createEvent(
            ExportFailed,
            {
              exportId: job.exportId,
              requestedBy: job.requestedBy,
              reason: event.reason,
              hasCallback,
            },
            cause,
            now,
          ),
        );
        break;
      case 'ExportStarted':
      case 'ExportProgressed':
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`Unhandled export event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return out;
}
